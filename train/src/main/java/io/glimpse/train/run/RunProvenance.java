package io.glimpse.train.run;

import io.glimpse.cache.manifest.Manifest;

/**
 * Where a run's tokens came from, recorded in every result.json: backbone and dataset names, the cache keys of
 * the train and test entries, and the one-time extraction cost of the train cache (null when the cache does not
 * record it; 0 when nothing was extracted, e.g. online).
 */
public record RunProvenance(String backbone, String dataset, String trainCacheKey, String testCacheKey,
                            Double extractSeconds) {

    /** The provenance of a run that read these two cache entries. */
    public static RunProvenance of(Manifest train, Manifest test) {
        return new RunProvenance(train.description().backboneName(), train.description().datasetName(), train.key(),
                test.key(), train.extractSeconds().isPresent() ? train.extractSeconds().getAsDouble() : null);
    }
}
