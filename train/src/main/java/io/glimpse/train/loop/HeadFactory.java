package io.glimpse.train.loop;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.probe.ProbeHead;

/**
 * Builds a probe head from its spec, its parameters drawn from {@code seed} (the probe registry in production; tiny heads in tests). Throws
 * {@link io.glimpse.cache.TrainInputException} for options the probe cannot take on this token layout.
 */
@FunctionalInterface
public interface HeadFactory {
    ProbeHead create(HeadSpec spec, TokenLayout layout, int numClasses, NDManager manager, long seed);
}
