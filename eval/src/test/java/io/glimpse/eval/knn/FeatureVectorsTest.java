package io.glimpse.eval.knn;

import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.synth.SynthSpec;
import io.glimpse.cache.synth.Synthesizer;
import io.glimpse.cache.vectors.VectorRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k-NN features of a cache entry come from its vector sidecar, equal to those pooled from its tokens. */
class FeatureVectorsTest {

    /** The same entry, hidden behind a plain token source, so the reader must pool the tokens itself. */
    private record TokensOnly(TokenCache cache) implements TokenSource {
        public TokenLayout layout() {
            return cache.layout();
        }

        public List<String> layers() {
            return cache.layers();
        }

        public int size() {
            return cache.size();
        }

        public int numClasses() {
            return cache.numClasses();
        }

        public Iterator<TokenBatch> batches(EpochPlan plan) {
            return cache.batches(plan);
        }

        public void close() {
        }
    }

    @Test
    void featuresFromTheSidecarEqualThosePooledFromTheTokens(@TempDir Path root) {
        CacheStore store = CacheStore.open(root);
        CacheKey key = new Synthesizer(store, 1, 50).ensure(new SynthSpec(130, new TokenLayout(17, 12, 1, 4, 4), 4, TokenDtype.FLOAT16, 3, "train"), r -> { }).key();
        try (TokenCache cache = store.openReader(key)) {
            Path sidecar = cache.directory().resolve(VectorRecord.DATA_FILE);
            for (KnnFeature feature : KnnFeature.values()) {
                FeatureMatrix tokens = FeatureReader.read(new TokensOnly(cache), SynthSpec.LAYER, feature, n -> { });
                assertFalse(feature == KnnFeature.CLS && Files.exists(sidecar), "pooling tokens does not build the sidecar");
                FeatureMatrix vectors = FeatureReader.read(cache.firstN(1000), SynthSpec.LAYER, feature, n -> { });
                assertTrue(Files.exists(sidecar), "k-NN on a cache reads its sidecar");
                assertArrayEquals(tokens.labels(), vectors.labels());
                assertArrayEquals(tokens.values(), vectors.values(), 1e-6f, feature.label());
            }
        }
    }
}
