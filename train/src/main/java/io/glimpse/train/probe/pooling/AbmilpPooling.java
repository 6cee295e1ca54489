package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.Mlp;
import io.glimpse.train.probe.nn.MultiHeadAttention;
import io.glimpse.train.probe.nn.ParameterStore;

import java.util.Map;
import java.util.Optional;

/**
 * {@code abmilp} / {@code abmilp-none}: attention-based MIL, SPEC section 4.1. With sa=both (the study's default)
 * Z = Proj(SelfAttn(X)): one-head self-attention, fused bias-free qkv Linear(D, 3D) (rows [q; k; v]), scale
 * D^-1/2, Proj Linear(D, D) with bias, no residual, no norm. With sa=none Z = X. Scores
 * s_n = w2^T tanh(W1 z_n + b1) + b2, a = softmax_n(s), output sum_n a_n z_n. PyTorch default inits.
 */
public final class AbmilpPooling extends TokenPooling {
    public enum SelfAttention { BOTH, NONE }

    private final SelfAttention mode;
    private final LinearLayer qkv;
    private final LinearLayer proj;
    private final Mlp scorer;

    public AbmilpPooling(PoolingSpec spec, ParameterStore store, SelfAttention mode) {
        super(spec);
        this.mode = mode;
        if (mode == SelfAttention.BOTH) {
            qkv = LinearLayer.create(store, "sa.qkv", dim, 3 * dim, false);
            proj = LinearLayer.create(store, "sa.proj", dim, dim, true);
        } else {
            qkv = null;
            proj = null;
        }
        scorer = Mlp.create(store, "score", dim, dim, 1, true, Activation::tanh);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray z = instances(x);
        return weights(z).matMul(z).squeeze(1);
    }

    /** Z: the self-attended tokens (sa=both) or the raw tokens (sa=none). */
    private NDArray instances(NDArray x) {
        if (mode == SelfAttention.NONE) return x;
        return proj.forward(MultiHeadAttention.attendFused(qkv.forward(x), 1));
    }

    /** a [B, 1, N]. */
    private NDArray weights(NDArray z) {
        return scorer.forward(z).softmax(1).transpose(0, 2, 1);
    }

    /** The MIL attention a [B, 1, N] over the patch tokens. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(instances(x)));
    }

    @Override
    public long parameterCount() {
        long d = dim;
        return mode == SelfAttention.BOTH ? 5 * d * d + 3 * d + 1 : d * d + 2 * d + 1;
    }

    /** Direct form: qkv 3ND^2, attention 2N^2D, proj ND^2 (sa=both); scorer ND^2 + ND; pooling ND. */
    @Override
    public long flopsPerSample() {
        long self = mode == SelfAttention.BOTH
                ? tokens * qkv.flopsPerRow() + MultiHeadAttention.flops(tokens, tokens, dim, dim) + tokens * proj.flopsPerRow()
                : 0;
        return self + tokens * scorer.flopsPerRow() + tokens * dim;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("sa", mode == SelfAttention.BOTH ? "both" : "none", "depth", 2, "heads", 1);
    }
}
