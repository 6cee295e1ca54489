package io.glimpse.train.data;

import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.cache.vectors.VectorReadable;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.probe.ProbeInfo;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.probe.TokenReads;

import java.util.List;
import java.util.Optional;

/**
 * Chooses what a training pass reads: when every head reads the same one stored vector (all CLS, or all patch
 * mean; {@link ProbeInfo#reads}) and both sources can serve it, the pass reads only the cache's vector sidecar as
 * [B, 1, D] batches, on which those heads compute what they compute on the full tokens. Any other pass, mixed
 * or with a token-reading head, reads the tokens.
 */
public record VectorPass(TokenSource train, TokenSource test, Optional<VectorKind> kind) {

    /** The one vector every head reads, or empty when any head reads tokens, a name is unknown, or heads differ. */
    public static Optional<VectorKind> shared(List<HeadSpec> heads, ProbeRegistry registry) {
        if (heads.isEmpty()) return Optional.empty();
        TokenReads common = null;
        for (HeadSpec h : heads) {
            Optional<TokenReads> reads = registry.find(h.probe()).map(ProbeInfo::reads);
            if (reads.isEmpty() || (common != null && common != reads.get())) return Optional.empty();
            common = reads.get();
        }
        return common.vector();
    }

    /** The sources to train on: vector views when {@link #shared} finds a vector and both sources serve one. */
    public static VectorPass choose(List<HeadSpec> heads, ProbeRegistry registry, TokenSource train, TokenSource test,
                                    VectorBuildProgress progress) {
        Optional<VectorKind> kind = shared(heads, registry);
        if (kind.isEmpty() || !(train instanceof VectorReadable tr) || !(test instanceof VectorReadable te)) {
            return new VectorPass(train, test, Optional.empty());
        }
        return new VectorPass(tr.vectors(kind.get(), progress), te.vectors(kind.get(), progress), kind);
    }
}
