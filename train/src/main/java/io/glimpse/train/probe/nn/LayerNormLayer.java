package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/**
 * LayerNorm over the last axis with a learned gain (init 1) and, unless {@code gainOnly}, a learned shift
 * (init 0). CoCa's LayerNorm is gain-only: its shift is a fixed zero, not a parameter.
 */
public final class LayerNormLayer {
    private final NDArray gamma;
    private final NDArray beta;
    private final Shape normalized;
    private final float eps;
    private final int dim;
    private final boolean learnedShift;

    private LayerNormLayer(NDArray gamma, NDArray beta, int dim, double eps, boolean learnedShift) {
        this.gamma = gamma;
        this.beta = beta;
        this.normalized = new Shape(dim);
        this.eps = (float) eps;
        this.dim = dim;
        this.learnedShift = learnedShift;
    }

    public static LayerNormLayer create(ParameterStore store, String name, int dim, double eps) {
        ParameterStore s = store.scope(name);
        NDArray gamma = s.parameter("weight", new Shape(dim), Init.constant(1));
        NDArray beta = s.parameter("bias", new Shape(dim), Init.constant(0));
        return new LayerNormLayer(gamma, beta, dim, eps, true);
    }

    public static LayerNormLayer gainOnly(ParameterStore store, String name, int dim, double eps) {
        NDArray gamma = store.scope(name).parameter("weight", new Shape(dim), Init.constant(1));
        return new LayerNormLayer(gamma, store.constant(new Shape(dim), 0), dim, eps, false);
    }

    public NDArray forward(NDArray x) {
        return LayerNorm.layerNorm(x, normalized, gamma, beta, eps).singletonOrThrow();
    }

    /**
     * The normalised input (x - mean) / sqrt(var + eps) without gain and shift: a function of x alone, so nothing
     * flows back through it when x is the frozen tokens; {@link #forward} is this times {@link #gain} plus {@link #shift}.
     */
    public NDArray normalize(NDArray x) {
        NDArray one = gamma.getManager().full(normalized, 1f, x.getDataType());
        NDArray zero = gamma.getManager().full(normalized, 0f, x.getDataType());
        return LayerNorm.layerNorm(x, normalized, one, zero, eps).singletonOrThrow();
    }

    public float eps() {
        return eps;
    }

    public NDArray gain() {
        return gamma;
    }

    public NDArray shift() {
        return beta;
    }

    public long parameterCount() {
        return learnedShift ? 2L * dim : dim;
    }
}
