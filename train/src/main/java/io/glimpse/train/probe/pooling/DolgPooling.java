package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.RunningBatchNorm;
import io.glimpse.train.probe.nn.Scalars;

/**
 * {@code dolg}: DOLG's local branch without ASPP (SpatialAttention2d, docs/heads.md#dolg). On the [B, D, h, h] map
 * (needs a square grid): F = BN2d(Conv1x1_{D->D}(X)) (BN affine, eps 1e-5, statistics over B and positions);
 * F^ = F / max(||F||_2 over channels, 1e-12); s = softplus(Conv1x1_{D->1}(ReLU(F))); output = mean over positions
 * of s * F^. The 1x1 convs run as linear layers on the tokens. Conv weights ~ N(0, 2/(k^2 out)): std sqrt(2/D) and
 * sqrt(2); conv biases PyTorch default U(+-1/sqrt(D)).
 */
public final class DolgPooling extends TokenPooling {
    private final LinearLayer conv1;
    private final RunningBatchNorm norm;
    private final LinearLayer conv2;

    public DolgPooling(PoolingSpec spec, ParameterStore store) {
        super(spec);
        spec.requireSquareGrid();
        Init bias = Init.torchDefault(dim);
        conv1 = LinearLayer.create(store, "conv1", dim, dim, true, Init.normal(Math.sqrt(2.0 / dim)), bias);
        norm = RunningBatchNorm.affine(store, "bn", dim, 1e-5);
        conv2 = LinearLayer.create(store, "conv2", dim, 1, true, Init.normal(Math.sqrt(2.0)), bias);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        Shape s = x.getShape();
        NDArray f = norm.forward(conv1.forward(x).reshape(s.get(0) * s.get(1), dim), training).reshape(s);
        NDArray unit = f.div(Scalars.maximum(f.norm(new int[] {2}, true), 1e-12));
        NDArray score = Activation.softPlus(conv2.forward(Activation.relu(f)));              // [B, N, 1]
        return Scalars.div(score.transpose(0, 2, 1).matMul(unit).squeeze(1), tokens);
    }

    @Override
    public long parameterCount() {
        return (long) dim * dim + 4L * dim + 1;
    }

    /** conv1 N*D^2, conv2 N*D, the score-weighted mean N*D. */
    @Override
    public long flopsPerSample() {
        return tokens * (conv1.flopsPerRow() + conv2.flopsPerRow() + dim);
    }
}
