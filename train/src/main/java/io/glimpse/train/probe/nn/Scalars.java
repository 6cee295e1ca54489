package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;

/**
 * Tensor-and-number operations for the autograd path. DJL's {@code NDArray.mul(Number)} (likewise div, pow,
 * maximum, ...) wraps the number in a scalar tensor over a Java direct buffer (PyTorch's from_blob, no copy) and closes
 * it on return, but autograd keeps that scalar for backward; once the garbage collector frees the buffer, backward
 * reads freed memory (an exact-zero gradient when the memory is reused zeroed). These ops hand PyTorch a scalar in its
 * own memory instead. The scalar is float64 as DJL's would be, so results are bit-identical to the DJL overloads.
 */
public final class Scalars {
    private Scalars() {
    }

    public static NDArray mul(NDArray x, double value) {
        return x.mul(owned(x, value));
    }

    public static NDArray div(NDArray x, double value) {
        return x.div(owned(x, value));
    }

    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(owned(x, value));
    }

    /** A 0-d float64 tensor holding {@code value} in PyTorch-owned memory, in {@code like}'s manager. */
    private static NDArray owned(NDArray like, double value) {
        try (NDArray borrowed = like.getManager().create(value)) {
            return borrowed.duplicate();
        }
    }
}
