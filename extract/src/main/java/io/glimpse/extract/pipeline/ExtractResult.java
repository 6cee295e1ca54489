package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.TokenLayout;

import java.util.List;

/**
 * The cache entry a request resolved to.
 *
 * @param reused          true when a complete entry was found and nothing was computed
 * @param rows            rows in the entry (images x views, less skipped images)
 * @param bytes           bytes of its shards
 * @param seconds         wall time of this call (the whole extraction when it ran, the lookup when reused)
 * @param imagesPerSecond rows computed per second in this call (0 when reused)
 * @param extractSeconds  the entry's recorded one-time extraction cost (from its manifest)
 * @param resumedFromRow  rows that were already committed when this call started (0 = fresh)
 * @param skippedIds      images skipped as undecodable (--skip-bad)
 */
public record ExtractResult(CacheKey key, CacheDescription description, TokenLayout layout, String split, boolean reused, long rows,
                            long bytes, double seconds, double imagesPerSecond, double extractSeconds, long resumedFromRow,
                            List<String> skippedIds) {
    public ExtractResult {
        skippedIds = List.copyOf(skippedIds);
    }
}
