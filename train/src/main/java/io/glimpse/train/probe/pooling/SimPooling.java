package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.NormedTokens;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.PooledAttention;

import java.util.Map;
import java.util.Optional;

/**
 * {@code simpool}: SimPool (docs/heads.md#simpool). q = W_q GAP(X) over the raw tokens, k = W_k LN(X), v = LN(X)
 * (LN affine, eps 1e-6; W_q, W_k bias-free, default init), one head, scale D^-1/2, output sum_n a_n v_n.
 * Computed with the query folded through W_k (q.k_n = (W_k^T q).LN(x_n)), so keys are never formed.
 */
public final class SimPooling extends TokenPooling {
    private final LayerNormLayer norm;
    private final LinearLayer wq;
    private final LinearLayer wk;

    public SimPooling(PoolingSpec spec, ParameterStore store) {
        super(spec);
        norm = LayerNormLayer.create(store, "norm", dim, 1e-6);
        wq = LinearLayer.create(store, "wq", dim, dim, false);
        wk = LinearLayer.create(store, "wk", dim, dim, false);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NormedTokens xn = NormedTokens.of(norm, x);
        // the weights sum to 1: sum_n a_n LN(x_n) = (sum_n a_n x̂_n) γ + β
        return weights(x, xn).matMul(xn.normalized()).squeeze(1).mul(xn.gain()).add(xn.shift());
    }

    /** q.(x̂ γ + β) = (q γ).x̂ + q.β, and q.β is the same for every token: it cancels in the softmax. */
    private NDArray weights(NDArray x, NormedTokens xn) {
        NDArray q = wq.forward(x.mean(new int[] {1}));
        NDArray u = PooledAttention.tokenSpaceQueries(q, wk.weight(), 1).mul(xn.gain());
        return PooledAttention.weights(xn.normalized(), u, 1 / Math.sqrt(dim));
    }

    /** a [B, 1, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x, NormedTokens.of(norm, x)));
    }

    @Override
    public long parameterCount() {
        return 2L * dim * dim + 2L * dim;
    }

    /** W_q D^2, folding the query through W_k D^2, logits ND, pooling ND. */
    @Override
    public long flopsPerSample() {
        return 2L * dim * dim + 2 * tokens * dim;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("heads", 1);
    }
}
