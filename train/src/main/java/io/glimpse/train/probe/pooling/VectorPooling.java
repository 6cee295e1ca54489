package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;

/**
 * Linear probing's Pool (docs/heads.md#linear, docs/heads.md#linear-gap): the identity on one vector per image,
 * either the CLS token ({@code linear}, LP-CLS: the registry selects token 0) or the mean of the patch tokens
 * ({@code linear-gap}, LP-GAP, CLS excluded). No parameters, no multiply-adds.
 */
public final class VectorPooling extends TokenPooling {
    public enum Source { CLS, MEAN_OF_PATCHES }

    private final Source source;

    public VectorPooling(PoolingSpec spec, Source source) {
        super(spec);
        this.source = source;
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        return source == Source.CLS ? x.squeeze(1) : x.mean(new int[] {1});
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
