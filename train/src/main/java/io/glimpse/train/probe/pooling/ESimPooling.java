package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.MultiHeadAttention;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.Scalars;

import java.util.Optional;

/**
 * {@code esimpool}: SimPool without linears (docs/heads.md#esimpool). q = LN(GAP(X)), k = LN(X) (the same LN,
 * eps 1e-6), v = raw X; H heads (study default 12, reduced to a divisor of D), scale (D/H)^-1/2; heads concatenated.
 * Computed without k or per-head copies of the tokens: q.k = q.(x̂ γ + β) = x̂.(q γ) + q.β with x̂ = LN(X) before its
 * gain and shift, a function of the frozen tokens that needs no backward; all heads' logits are one product of x̂
 * with the block-diagonal [D, H] matrix of their q γ, and all heads' weighted sums one product of the weights with X
 * whose block diagonal each channel keeps. Equal to the study's form up to float rounding (DirectFormTest).
 */
public final class ESimPooling extends TokenPooling {
    private static final int STUDY_HEADS = 12;

    private final LayerNormLayer norm;
    /** [D, H]: 1 where channel d belongs to head h. */
    private final NDArray channelHead;
    /** [H, D], its transpose. */
    private final NDArray headChannel;
    private final double scale;

    public ESimPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        norm = LayerNormLayer.create(store, "norm", dim, 1e-6);
        NDArray like = store.constant(new Shape(1), 0);
        double[] mask = new double[dim * heads];
        int perHead = dim / heads;
        for (int d = 0; d < dim; d++) mask[d * heads + d / perHead] = 1;
        // created from a Java array: copied into PyTorch-owned memory of the head's dtype (see Scalars)
        try (NDArray m = like.getManager().create(mask, new Shape(dim, heads))) {
            channelHead = m.toType(like.getDataType(), true);
        }
        headChannel = channelHead.transpose().toType(like.getDataType(), true);
        scale = 1 / Math.sqrt((double) dim / heads);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        // [B, H, N] x [B, N, D] -> [B, H, D]; channel d keeps row h(d)
        return weights(x).transpose(0, 2, 1).matMul(x).mul(headChannel).sum(new int[] {1});
    }

    /** [B, N, H]: per head, softmax over the tokens of scale * q.k. */
    private NDArray weights(NDArray x) {
        long b = x.getShape().get(0);
        NDArray q = Scalars.mul(norm.forward(x.mean(new int[] {1}, true)), scale);
        NDArray w = q.mul(norm.gain()).reshape(b, dim, 1).mul(channelHead);
        NDArray shift = q.mul(norm.shift()).matMul(channelHead);
        return norm.normalize(x).matMul(w).add(shift).softmax(1);
    }

    /** a [B, H, N], one map per head. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x).transpose(0, 2, 1));
    }

    @Override
    public long parameterCount() {
        return 2L * dim;
    }

    /** The useful 2ND; the two block-diagonal products spend H times that, which is not what bounds this head. */
    @Override
    public long flopsPerSample() {
        return MultiHeadAttention.flops(1, tokens, dim, dim);
    }
}
