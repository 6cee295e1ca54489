package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.Mlp;
import io.glimpse.train.probe.nn.MultiHeadAttention;
import io.glimpse.train.probe.nn.ParameterStore;

/**
 * {@code dinovit}: one DINOv2-style pre-norm ViT block over the patch tokens, then GAP (docs/heads.md#dinovit).
 * x = x + Proj(MHSA(LN1(x))); x = x + MLP(LN2(x)); 8 heads, qkv bias-free, proj/MLP with bias, no LayerScale,
 * LN eps 1e-5, default inits.
 */
public final class DinoVitPooling extends TokenPooling {
    private static final int STUDY_HEADS = 8;

    private final LayerNormLayer norm1;
    private final LinearLayer qkv;
    private final LinearLayer proj;
    private final LayerNormLayer norm2;
    private final Mlp mlp;

    public DinoVitPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        norm1 = LayerNormLayer.create(store, "norm1", dim, 1e-5);
        qkv = LinearLayer.create(store, "attn.qkv", dim, 3 * dim, false);
        proj = LinearLayer.create(store, "attn.proj", dim, dim, true);
        norm2 = LayerNormLayer.create(store, "norm2", dim, 1e-5);
        mlp = Mlp.gelu(store, "mlp", dim, 4 * dim);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray x1 = x.add(proj.forward(MultiHeadAttention.attendFused(qkv.forward(norm1.forward(x)), heads)));
        NDArray x2 = x1.add(mlp.forward(norm2.forward(x1)));
        return x2.mean(new int[] {1});
    }

    @Override
    public long parameterCount() {
        return 12L * dim * dim + 10L * dim;
    }

    /** Per token: qkv 3D^2, proj D^2, MLP 8D^2; attention 2N^2D. */
    @Override
    public long flopsPerSample() {
        return tokens * (qkv.flopsPerRow() + proj.flopsPerRow() + mlp.flopsPerRow())
                + MultiHeadAttention.flops(tokens, tokens, dim, dim);
    }
}
