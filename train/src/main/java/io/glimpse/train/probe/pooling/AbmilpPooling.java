package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.RowSlice;
import io.glimpse.train.probe.nn.Scalars;

import java.util.Map;
import java.util.Optional;

/**
 * {@code abmilp} / {@code abmilp-none}: attention-based MIL (docs/heads.md#abmilp). With sa=both (the study's default)
 * Z = Proj(SelfAttn(X)): one-head self-attention, fused bias-free qkv Linear(D, 3D) (rows [q; k; v]), scale D^-1/2,
 * Proj Linear(D, D) with bias, no residual, no norm. With sa=none Z = X. Scores s_n = w2^T tanh(W1 z_n + b1) + b2,
 * a = softmax_n(s), output sum_n a_n z_n. PyTorch default inits.
 * <p>
 * sa=both is computed re-associated, the same function at lower cost: logits X (W_q^T W_k / sqrt D) X^T,
 * H = softmax(logits) X, and Z = H (W_p W_v)^T + b_p is never formed: W1 z_n = (W1 W_p W_v) h_n + W1 b_p and
 * sum_n a_n z_n = W_p W_v (sum_n a_n h_n) + b_p. Per sample 2ND^2 + 2N^2D + 2ND + D^2 multiply-adds instead of
 * 5ND^2 + 2N^2D + 2ND.
 */
public final class AbmilpPooling extends TokenPooling {
    public enum SelfAttention { BOTH, NONE }

    /** The instances in factored form z_n = W t_n + b (W null: z_n = t_n). */
    private record Instances(NDArray tokens, NDArray weight, NDArray bias) {
        NDArray map(NDArray pooledTokens) {
            return weight == null ? pooledTokens : Linear.linear(pooledTokens, weight, bias).singletonOrThrow();
        }
    }

    private final SelfAttention mode;
    private final LinearLayer qkv;
    private final LinearLayer proj;
    private final LinearLayer scoreHidden;
    private final LinearLayer scoreOut;

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
        scoreHidden = LinearLayer.create(store, "score.fc1", dim, dim, true);
        scoreOut = LinearLayer.create(store, "score.fc2", dim, 1, true);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        Instances z = instances(x);
        return z.map(weights(z).matMul(z.tokens()).squeeze(1));
    }

    private Instances instances(NDArray x) {
        if (mode == SelfAttention.NONE) return new Instances(x, null, null);
        NDArray wq = new RowSlice(qkv, 0, dim).weight();
        NDArray wk = new RowSlice(qkv, dim, 2 * dim).weight();
        NDArray wv = new RowSlice(qkv, 2 * dim, 3 * dim).weight();
        NDArray bilinear = Scalars.div(wq.transpose().matMul(wk), Math.sqrt(dim));
        NDArray attention = x.matMul(bilinear).matMul(x.transpose(0, 2, 1)).softmax(-1);
        return new Instances(attention.matMul(x), proj.weight().matMul(wv), proj.bias());
    }

    /** a [B, 1, N] = softmax over instances of w2^T tanh(W1 z_n + b1) + b2. */
    private NDArray weights(Instances z) {
        NDArray hidden = z.weight() == null
                ? scoreHidden.forward(z.tokens())
                : Linear.linear(z.tokens(), scoreHidden.weight().matMul(z.weight()),
                        scoreHidden.weight().matMul(z.bias()).add(scoreHidden.bias())).singletonOrThrow();
        return scoreOut.forward(Activation.tanh(hidden)).softmax(1).transpose(0, 2, 1);
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

    /**
     * sa=both adds X G (N*D^2), the logits and H (N^2*D each) and W_p W_v on the pooled vector (D^2); then the scorer
     * (N*D^2 + N*D, on H through W1 W_p W_v or on X) and the pooling (N*D).
     */
    @Override
    public long flopsPerSample() {
        long d = dim;
        long self = mode == SelfAttention.BOTH ? tokens * d * d + 2 * tokens * tokens * d + d * d : 0;
        return self + tokens * (scoreHidden.flopsPerRow() + scoreOut.flopsPerRow()) + tokens * d;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("sa", mode == SelfAttention.BOTH ? "both" : "none", "depth", 2, "heads", 1);
    }
}
