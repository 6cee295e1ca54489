package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.Mlp;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.QueryAttention;
import io.glimpse.train.probe.nn.RowSlice;

import java.util.Optional;

/**
 * {@code siglip}: SigLIP's MAP head (timm AttentionPoolLatent, docs/heads.md#siglip). One latent l [1, 1, D]
 * (trunc_normal_tf std D^-1/2); q = W_q l + b_q, fused kv Linear(D, 2D) with bias (first D rows keys), 8 heads;
 * h = Proj(attn); h = h + MLP(h) (D -> 4D -> D, exact GELU). No norm anywhere, no residual around the attention.
 */
public final class SiglipPooling extends TokenPooling {
    private static final int STUDY_HEADS = 8;

    private final NDArray latent;
    private final LinearLayer q;
    private final QueryAttention attention;
    private final Mlp mlp;

    public SiglipPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        latent = store.parameter("latent", new Shape(1, 1, dim), Init.truncatedNormalTf(1 / Math.sqrt(dim)));
        q = LinearLayer.create(store, "q", dim, dim, true);
        LinearLayer kv = LinearLayer.create(store, "kv", dim, 2 * dim, true);
        LinearLayer proj = LinearLayer.create(store, "proj", dim, dim, true);
        attention = new QueryAttention(heads, new RowSlice(kv, 0, dim), new RowSlice(kv, dim, 2 * dim), proj);
        mlp = Mlp.gelu(store, "mlp", dim, 4 * dim);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray h = attention.output(weights(x), x);
        return h.add(mlp.forward(h));
    }

    private NDArray weights(NDArray x) {
        return attention.weights(q.forward(latent.reshape(dim)), x);
    }

    /** The latent's attention per head, [B, H, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x));
    }

    @Override
    public long parameterCount() {
        return 12L * dim * dim + 10L * dim;
    }

    @Override
    public long flopsPerSample() {
        return attention.flops(tokens, dim) + mlp.flopsPerRow();
    }
}
