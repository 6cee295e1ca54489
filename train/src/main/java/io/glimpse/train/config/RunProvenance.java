package io.glimpse.train.config;

/**
 * Where a run's tokens came from, recorded in every result.json: backbone and dataset names, the cache keys of
 * the train and test entries, and the one-time extraction cost of the train cache (0 when unknown, e.g. online).
 */
public record RunProvenance(String backbone, String dataset, String trainCacheKey, String testCacheKey,
                            double extractSeconds) {
}
