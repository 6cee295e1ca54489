package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * BatchNorm over axis 1 of [B, C] or [B, C, H, W] with PyTorch semantics: batch statistics in training (the running
 * mean/var are updated in place with momentum 0.1 and the unbiased batch variance), running statistics at eval.
 * Non-affine BatchNorms (the probe wrapper's, AIM's input norm) use fixed unit gain and zero shift.
 */
public final class RunningBatchNorm {
    /** PyTorch's momentum: the weight of the new batch in the running statistics. */
    private static final double TORCH_MOMENTUM = 0.1;

    private final NDArray runningMean;
    private final NDArray runningVar;
    private final NDArray gamma;
    private final NDArray beta;
    private final double eps;
    private final int channels;
    private final boolean affine;

    private RunningBatchNorm(ParameterStore store, int channels, double eps, boolean affine) {
        ParameterStore s = store;
        Shape shape = new Shape(channels);
        if (affine) {
            gamma = s.parameter("weight", shape, Init.constant(1));
            beta = s.parameter("bias", shape, Init.constant(0));
        } else {
            gamma = s.constant(shape, 1);
            beta = s.constant(shape, 0);
        }
        runningMean = s.buffer("running_mean", shape, 0);
        runningVar = s.buffer("running_var", shape, 1);
        this.eps = eps;
        this.channels = channels;
        this.affine = affine;
    }

    /** affine=False (no parameters), as the probe wrapper's norm (docs/heads.md#batchnorm) and AIM's input norm. */
    public static RunningBatchNorm plain(ParameterStore store, String name, int channels, double eps) {
        return new RunningBatchNorm(store.scope(name), channels, eps, false);
    }

    /** affine=True (gain and shift trained), as cbam's and dolg's BatchNorm2d. */
    public static RunningBatchNorm affine(ParameterStore store, String name, int channels, double eps) {
        return new RunningBatchNorm(store.scope(name), channels, eps, true);
    }

    /**
     * Normalises axis 1 with torch's batch_norm, called directly so that momentum and eps arrive as the exact doubles
     * PyTorch uses: DJL's {@code BatchNorm.batchNorm} takes them as floats and passes {@code 1f - 0.9f}, a momentum
     * of 0.100000024: each batch weighed 2.4e-7 (relative) too much in the running statistics.
     */
    public NDArray forward(NDArray x, boolean training) {
        return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) runningMean, (PtNDArray) runningVar, (PtNDArray) gamma,
                (PtNDArray) beta, training, TORCH_MOMENTUM, eps);
    }

    public long parameterCount() {
        return affine ? 2L * channels : 0;
    }
}
