package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
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
 * {@code cait}: CaiT class-attention pooling (docs/heads.md#cait). Own CLS c [1, 1, D] (trunc-normal 0.02);
 * u = LN1([c; X]); c1 = c + g1 * Proj(CA(u)) with q from LN1(c) only and k, v from all N+1 rows (q, k, v, proj
 * Linear(D, D) with bias, 4 heads); c2 = c1 + g2 * MLP(LN2(c1)) (4D, exact GELU); output LN(c2).
 * g1, g2 init 1e-5; LN1/LN2 eps 1e-6, final LN eps 1e-5.
 */
public final class CaitPooling extends TokenPooling {
    private static final int STUDY_HEADS = 4;
    private static final double LAYER_SCALE = 1e-5;

    private final NDArray cls;
    private final LayerNormLayer norm1;
    private final LinearLayer q;
    private final QueryAttention attention;
    private final NDArray gamma1;
    private final LayerNormLayer norm2;
    private final Mlp mlp;
    private final NDArray gamma2;
    private final LayerNormLayer norm;

    public CaitPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        cls = store.parameter("cls_token", new Shape(1, 1, dim), Init.truncatedNormal(0.02));
        norm1 = LayerNormLayer.create(store, "norm1", dim, 1e-6);
        q = LinearLayer.create(store, "attn.q", dim, dim, true);
        LinearLayer k = LinearLayer.create(store, "attn.k", dim, dim, true);
        LinearLayer v = LinearLayer.create(store, "attn.v", dim, dim, true);
        LinearLayer proj = LinearLayer.create(store, "attn.proj", dim, dim, true);
        attention = new QueryAttention(heads, RowSlice.whole(k), RowSlice.whole(v), proj);
        gamma1 = store.parameter("gamma_1", new Shape(dim), Init.constant(LAYER_SCALE));
        norm2 = LayerNormLayer.create(store, "norm2", dim, 1e-6);
        mlp = Mlp.gelu(store, "mlp", dim, 4 * dim);
        gamma2 = store.parameter("gamma_2", new Shape(dim), Init.constant(LAYER_SCALE));
        norm = LayerNormLayer.create(store, "norm", dim, 1e-5);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray clsNormed = norm1.forward(cls.reshape(dim));
        NormedTokens u = sequence(x);
        NDArray c = cls.reshape(dim);
        NDArray c1 = attention.output(attention.weights(q.forward(clsNormed), u), u).mul(gamma1).add(c);
        NDArray c2 = mlp.forward(norm2.forward(c1)).mul(gamma2).add(c1);
        return norm.forward(c2);
    }

    /**
     * LN1([c; X]) as [B, N+1, D], kept as normalised rows and LN1's gain and shift (LN is per row, so the CLS row is
     * normalised once for the batch; the token rows need no backward).
     */
    private NormedTokens sequence(NDArray x) {
        long b = x.getShape().get(0);
        NDArray rows = norm1.normalize(cls.reshape(dim)).broadcast(b, 1, dim).concat(norm1.normalize(x), 1);
        return new NormedTokens(rows, norm1.eps(), norm1.gain(), norm1.shift());
    }

    /** The CLS query's attention per head over the patch tokens, [B, H, N] (its share on itself left out). */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        NDArray clsNormed = norm1.forward(cls.reshape(dim));
        return Optional.of(attention.weights(q.forward(clsNormed), sequence(x)).get(new NDIndex(":, :, 1:")));
    }

    @Override
    public long parameterCount() {
        return 12L * dim * dim + 18L * dim;
    }

    @Override
    public long flopsPerSample() {
        return attention.flops(tokens + 1, dim) + mlp.flopsPerRow();
    }
}
