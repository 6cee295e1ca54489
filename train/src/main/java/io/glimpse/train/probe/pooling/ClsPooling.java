package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;

/** {@code linear}: LP on the CLS token (SPEC section 4.14, "LP-CLS"); Pool is the identity on token 0. */
public final class ClsPooling implements Pooling {
    private final int dim;

    public ClsPooling(PoolingSpec spec) {
        this.dim = spec.dim();
    }

    @Override
    public int outputDim() {
        return dim;
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        return x.squeeze(1);
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public long flopsPerSample() {
        return 0;
    }
}
