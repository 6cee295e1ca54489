package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.MultiHeadAttention;
import io.glimpse.train.probe.nn.ParameterStore;

import java.util.Optional;

/**
 * {@code esimpool}: SimPool without linears (docs/heads.md#esimpool). q = LN(GAP(X)), k = LN(X) (the same LN,
 * eps 1e-6), v = raw X; H heads (study default 12, reduced to a divisor of D), scale (D/H)^-1/2; heads concatenated.
 */
public final class ESimPooling extends TokenPooling {
    private static final int STUDY_HEADS = 12;

    private final LayerNormLayer norm;

    public ESimPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        norm = LayerNormLayer.create(store, "norm", dim, 1e-6);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        return weights(x).matMul(MultiHeadAttention.splitHeads(x, heads)).transpose(0, 2, 1, 3)
                .reshape(x.getShape().get(0), dim);
    }

    /** [B, H, 1, N]. */
    private NDArray weights(NDArray x) {
        NDArray q = norm.forward(x.mean(new int[] {1}, true));
        return MultiHeadAttention.weights(q, norm.forward(x), heads, 1 / Math.sqrt((double) dim / heads));
    }

    /** a [B, H, N], one map per head. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x).squeeze(2));
    }

    @Override
    public long parameterCount() {
        return 2L * dim;
    }

    @Override
    public long flopsPerSample() {
        return MultiHeadAttention.flops(1, tokens, dim, dim);
    }
}
