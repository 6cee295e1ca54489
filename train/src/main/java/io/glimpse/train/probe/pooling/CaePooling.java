package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.NormedTokens;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.QueryAttention;
import io.glimpse.train.probe.nn.RowSlice;

import java.util.Optional;

/**
 * {@code cae}: CAE's attentive probe (CAEAttentiveBlock, docs/heads.md#cae). Query [1, 1, D] initialised to ZEROS;
 * q = W_q LN_q(query), k = W_k LN_k(X), v = W_v LN_v(X) (bias-free, default init); 8-head cross-attention; output
 * the projected token (Proj with bias). LN eps 1e-5. A fourth LN, {@code norm2_cross}, is built and counted but
 * never used, as in the study: it gets no gradient and never changes. LN(0) = 0, so the first attention is uniform.
 */
public final class CaePooling extends TokenPooling {
    private static final int STUDY_HEADS = 8;

    private final NDArray query;
    private final LayerNormLayer normQ;
    private final LayerNormLayer normK;
    private final LayerNormLayer normV;
    private final LinearLayer q;
    private final QueryAttention attention;

    public CaePooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        query = store.parameter("query_token", new Shape(1, 1, dim), Init.constant(0));
        normQ = LayerNormLayer.create(store, "norm1_q", dim, 1e-5);
        normK = LayerNormLayer.create(store, "norm1_k", dim, 1e-5);
        normV = LayerNormLayer.create(store, "norm1_v", dim, 1e-5);
        LayerNormLayer.create(store, "norm2_cross", dim, 1e-5);
        q = LinearLayer.create(store, "attn.q", dim, dim, false);
        LinearLayer k = LinearLayer.create(store, "attn.k", dim, dim, false);
        LinearLayer v = LinearLayer.create(store, "attn.v", dim, dim, false);
        LinearLayer proj = LinearLayer.create(store, "attn.proj", dim, dim, true);
        attention = new QueryAttention(heads, RowSlice.whole(k), RowSlice.whole(v), proj);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        // one normalisation of the tokens serves both LayerNorms (same eps; they differ only in gain and shift)
        NormedTokens keys = NormedTokens.of(normK, x);
        return attention.output(weights(keys), keys.under(normV));
    }

    private NDArray weights(NormedTokens keys) {
        return attention.weights(q.forward(normQ.forward(query.reshape(dim))), keys);
    }

    /** The query's attention per head, [B, H, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(NormedTokens.of(normK, x)));
    }

    @Override
    public long parameterCount() {
        return 4L * dim * dim + 10L * dim;
    }

    @Override
    public long flopsPerSample() {
        return attention.flops(tokens, dim);
    }
}
