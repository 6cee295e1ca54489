package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * y = x W^T + b over the last axis of x (PyTorch {@code nn.Linear}: weight [out, in]). Default init is PyTorch's
 * (weight and bias U(+-1/sqrt(in))); heads with a stated init pass their own. Works on [B, in] and [B, N, in].
 */
public final class LinearLayer {
    private final NDArray weight;
    private final NDArray bias;
    private final int in;
    private final int out;

    private LinearLayer(NDArray weight, NDArray bias, int in, int out) {
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /** PyTorch default init. */
    public static LinearLayer create(ParameterStore store, String name, int in, int out, boolean withBias) {
        Init init = Init.torchDefault(in);
        return create(store, name, in, out, withBias, init, init);
    }

    public static LinearLayer create(ParameterStore store, String name, int in, int out, boolean withBias,
                                     Init weightInit, Init biasInit) {
        ParameterStore s = store.scope(name);
        NDArray w = s.parameter("weight", new Shape(out, in), weightInit);
        NDArray b = withBias ? s.parameter("bias", new Shape(out), biasInit) : null;
        return new LinearLayer(w, b, in, out);
    }

    public NDArray forward(NDArray x) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    public NDArray weight() {
        return weight;
    }

    /** The bias, or null when the layer has none. */
    public NDArray bias() {
        return bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public long parameterCount() {
        return (long) in * out + (bias == null ? 0 : out);
    }

    /** Multiply-adds for one input row. */
    public long flopsPerRow() {
        return (long) in * out;
    }
}
