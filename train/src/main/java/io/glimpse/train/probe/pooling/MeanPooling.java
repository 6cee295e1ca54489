package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;

/** {@code linear-gap}: LP on the mean of the patch tokens (SPEC section 4.14, "LP-GAP"; CLS excluded). */
public final class MeanPooling implements Pooling {
    private final int dim;

    public MeanPooling(PoolingSpec spec) {
        this.dim = spec.dim();
    }

    @Override
    public int outputDim() {
        return dim;
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        return x.mean(new int[] {1});
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
