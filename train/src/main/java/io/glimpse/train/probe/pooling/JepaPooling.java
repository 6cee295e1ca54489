package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.Mlp;
import io.glimpse.train.probe.nn.NormedTokens;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.QueryAttention;
import io.glimpse.train.probe.nn.RowSlice;

import java.util.Optional;

/**
 * {@code jepa}: V-JEPA's AttentivePooler at depth 1 (docs/heads.md#jepa). q' = q + Proj(MHCA(W_q q, W_kv LN1(X)))
 * (the query is not normalised; fused kv Linear(D, 2D), keys first), q'' = q' + MLP(LN2(q')) (4D, exact GELU).
 * H = 16 (study default), bias everywhere, LN eps 1e-5. Init: query and every Linear weight trunc-normal 0.02,
 * biases 0; proj and fc2 weights divided by sqrt(2).
 */
public final class JepaPooling extends TokenPooling {
    private static final int STUDY_HEADS = 16;
    private static final double STD = 0.02;

    private final NDArray query;
    private final LayerNormLayer norm1;
    private final LinearLayer q;
    private final QueryAttention attention;
    private final LayerNormLayer norm2;
    private final Mlp mlp;

    public JepaPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        Init weight = Init.truncatedNormal(STD);
        Init zero = Init.constant(0);
        query = store.parameter("query_tokens", new Shape(1, 1, dim), weight);
        norm1 = LayerNormLayer.create(store, "norm1", dim, 1e-5);
        q = LinearLayer.create(store, "q", dim, dim, true, weight, zero);
        LinearLayer kv = LinearLayer.create(store, "kv", dim, 2 * dim, true, weight, zero);
        LinearLayer proj = LinearLayer.create(store, "proj", dim, dim, true, weight.times(1 / Math.sqrt(2)), zero);
        attention = new QueryAttention(heads, new RowSlice(kv, 0, dim), new RowSlice(kv, dim, 2 * dim), proj);
        norm2 = LayerNormLayer.create(store, "norm2", dim, 1e-5);
        mlp = Mlp.geluJepa(store, "mlp", dim, 4 * dim);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NormedTokens xn = NormedTokens.of(norm1, x);
        NDArray q1 = attention.output(weights(xn), xn).add(query.reshape(dim));
        return q1.add(mlp.forward(norm2.forward(q1)));
    }

    private NDArray weights(NormedTokens xn) {
        return attention.weights(q.forward(query.reshape(dim)), xn);
    }

    /** The query's attention per head, [B, H, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(NormedTokens.of(norm1, x)));
    }

    @Override
    public long parameterCount() {
        return 12L * dim * dim + 14L * dim;
    }

    @Override
    public long flopsPerSample() {
        return attention.flops(tokens, dim) + mlp.flopsPerRow();
    }
}
