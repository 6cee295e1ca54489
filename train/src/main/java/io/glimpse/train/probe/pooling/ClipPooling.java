package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
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
 * {@code clip}: CLIP-ResNet AttentionPool2d (docs/heads.md#clip). u = [mean(LN(X)); LN(X)] + P (LN eps 1e-6;
 * P [(N+1), D] trunc-normal std D^-1/2); 4-head attention with a fused qkv Linear(D, 3D) (weight trunc-normal std
 * D^-1/2, bias 0) and a default-init output projection; the output is row 0. Only row 0's query is formed (the
 * other rows' outputs are discarded, so the function is identical). Needs a square grid: P is sized to it.
 */
public final class ClipPooling extends TokenPooling {
    private static final int STUDY_HEADS = 4;

    private final LayerNormLayer norm;
    private final NDArray positions;
    private final RowSlice query;
    private final QueryAttention attention;

    public ClipPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        spec.requireSquareGrid();
        double std = 1 / Math.sqrt(dim);
        norm = LayerNormLayer.create(store, "norm", dim, 1e-6);
        positions = store.parameter("pos_embed", new Shape(tokens + 1, dim), Init.truncatedNormal(std));
        LinearLayer qkv = LinearLayer.create(store, "qkv", dim, 3 * dim, true, Init.truncatedNormal(std), Init.constant(0));
        LinearLayer proj = LinearLayer.create(store, "proj", dim, dim, true);
        query = new RowSlice(qkv, 0, dim);
        attention = new QueryAttention(heads, new RowSlice(qkv, dim, 2 * dim), new RowSlice(qkv, 2 * dim, 3 * dim), proj);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NormedTokens u = sequence(x);
        return attention.output(weights(u), u, positions);
    }

    /**
     * [mean; tokens] before LN's gain and shift: mean_n LN(x_n) = (mean_n x̂_n) γ + β, so u = this γ + β + P. Kept
     * apart, the token rows need no backward and neither u nor LN(x) is formed over [B, N+1, D].
     */
    private NormedTokens sequence(NDArray x) {
        NDArray xh = norm.normalize(x);
        return new NormedTokens(xh.mean(new int[] {1}, true).concat(xh, 1), norm.eps(), norm.gain(), norm.shift());
    }

    private NDArray weights(NormedTokens u) {
        NDArray first = u.normalized().get(new NDIndex(":, 0, :")).mul(u.gain()).add(u.shift()).add(positions.get(0));
        return attention.weights(query.forward(first), u, positions);
    }

    /** Row 0's attention per head over the patch tokens, [B, H, N] (the mean token's share is left out). */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(sequence(x)).get(new NDIndex(":, :, 1:")));
    }

    @Override
    public long parameterCount() {
        long d = dim;
        return 4 * d * d + 6 * d + (tokens + 1) * d;
    }

    /** Row 0's query D^2 and its folding through W_k D^2, attention over N+1 rows, values, projection. */
    @Override
    public long flopsPerSample() {
        return (long) dim * dim + attention.flopsWithPerSampleQuery(tokens + 1, dim);
    }
}
