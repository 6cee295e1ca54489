package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.function.UnaryOperator;

/**
 * fc2(act(fc1(x))): the transformer MLP (exact GELU, biases), abmilp's tanh scorer, cbam's bias-free ReLU
 * bottleneck.
 */
public final class Mlp {
    private final LinearLayer fc1;
    private final LinearLayer fc2;
    private final UnaryOperator<NDArray> activation;

    private Mlp(LinearLayer fc1, LinearLayer fc2, UnaryOperator<NDArray> activation) {
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.activation = activation;
    }

    /** in -> hidden -> out, PyTorch default init. */
    public static Mlp create(ParameterStore store, String name, int in, int hidden, int out, boolean bias,
                             UnaryOperator<NDArray> activation) {
        ParameterStore s = store.scope(name);
        return new Mlp(LinearLayer.create(s, "fc1", in, hidden, bias), LinearLayer.create(s, "fc2", hidden, out, bias),
                activation);
    }

    /** D -> hidden -> D with biases and exact (erf) GELU (timm {@code Mlp}). */
    public static Mlp gelu(ParameterStore store, String name, int dim, int hidden) {
        return create(store, name, dim, hidden, dim, true, Activation::gelu);
    }

    /** As {@link #gelu} with V-JEPA's init: weights trunc-normal 0.02, biases 0, fc2 weight divided by sqrt(2). */
    public static Mlp geluJepa(ParameterStore store, String name, int dim, int hidden) {
        ParameterStore s = store.scope(name);
        Init zero = Init.constant(0);
        return new Mlp(LinearLayer.create(s, "fc1", dim, hidden, true, Init.truncatedNormal(0.02), zero),
                LinearLayer.create(s, "fc2", hidden, dim, true, Init.truncatedNormal(0.02).times(1 / Math.sqrt(2)), zero),
                Activation::gelu);
    }

    public NDArray forward(NDArray x) {
        return fc2.forward(activation.apply(fc1.forward(x)));
    }

    public long parameterCount() {
        return fc1.parameterCount() + fc2.parameterCount();
    }

    public long flopsPerRow() {
        return fc1.flopsPerRow() + fc2.flopsPerRow();
    }
}
