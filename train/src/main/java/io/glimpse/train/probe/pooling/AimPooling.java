package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.QueryAttention;
import io.glimpse.train.probe.nn.RowSlice;
import io.glimpse.train.probe.nn.RunningBatchNorm;

import java.util.Optional;

/**
 * {@code aim}: AIM's attentive probe without its Linear (docs/heads.md#aim). X~ = BatchNorm over channels with
 * statistics over all B*N tokens (affine=False, eps 1e-6, momentum 0.1, running stats at eval); query [1, 1, D]
 * ~ N(0, 0.02^2) split into H heads (study default 16); k = W_K X~, v = W_V X~ (bias-free, default init);
 * scale (D/H)^-1/2; heads concatenated; no query or output projection.
 */
public final class AimPooling extends TokenPooling {
    private static final int STUDY_HEADS = 16;

    private final RunningBatchNorm inputNorm;
    private final NDArray query;
    private final QueryAttention attention;

    public AimPooling(PoolingSpec spec, ParameterStore store) {
        super(spec, STUDY_HEADS);
        inputNorm = RunningBatchNorm.plain(store, "input_bn", dim, 1e-6);
        query = store.parameter("cls_token", new Shape(1, 1, dim), Init.normal(0.02));
        LinearLayer k = LinearLayer.create(store, "k", dim, dim, false);
        LinearLayer v = LinearLayer.create(store, "v", dim, dim, false);
        attention = new QueryAttention(heads, RowSlice.whole(k), RowSlice.whole(v), null);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray xt = normalised(x, training);
        return attention.output(attention.weights(query.reshape(dim), xt), xt);
    }

    private NDArray normalised(NDArray x, boolean training) {
        Shape s = x.getShape();
        return inputNorm.forward(x.reshape(s.get(0) * s.get(1), dim), training).reshape(s);
    }

    /** The query's attention per head, [B, H, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(attention.weights(query.reshape(dim), normalised(x, false)));
    }

    @Override
    public long parameterCount() {
        return 2L * dim * dim + dim;
    }

    @Override
    public long flopsPerSample() {
        return attention.flops(tokens, dim);
    }
}
