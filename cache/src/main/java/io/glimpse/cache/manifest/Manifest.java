package io.glimpse.cache.manifest;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Contents of an entry's {@code manifest.json}: the description in clear (all key inputs), the token layout (T, D,
 * prefix tokens, grid), status, committed shards with checksums, the index capacity, extraction statistics and the
 * ids the extractor skipped. Serialized with snake_case member names by {@link ManifestFiles}.
 */
public record Manifest(int format, String key, EntryStatus status, CacheDescription description, TokenLayout layout,
                       long rows, int rowsPerShard, List<ShardRecord> shards, long indexCapacity,
                       Map<String, Object> extractionStats, List<String> skippedIds, String created, String updated) {

    public static final int FORMAT = 1;
    /** The extraction-statistics field with the extraction's wall seconds. */
    public static final String EXTRACT_SECONDS = "extract_seconds";

    public Manifest {
        shards = List.copyOf(shards == null ? List.of() : shards);
        extractionStats = extractionStats == null ? Map.of() : Map.copyOf(extractionStats);
        skippedIds = List.copyOf(skippedIds == null ? List.of() : skippedIds);
    }

    public Manifest withShard(ShardRecord shard, long newIndexCapacity, String now) {
        List<ShardRecord> s = new ArrayList<>(shards);
        s.add(shard);
        return new Manifest(format, key, status, description, layout, rows + shard.rows(), rowsPerShard, s,
                newIndexCapacity, extractionStats, skippedIds, created, now);
    }

    public Manifest completed(Map<String, Object> stats, List<String> skipped, String now) {
        return new Manifest(format, key, EntryStatus.COMPLETE, description, layout, rows, rowsPerShard, shards,
                indexCapacity, stats, skipped, created, now);
    }

    public Manifest withIndexCapacity(long capacity, String now) {
        return new Manifest(format, key, status, description, layout, rows, rowsPerShard, shards, capacity,
                extractionStats, skippedIds, created, now);
    }

    /** The extraction's wall seconds, when the extractor recorded them. */
    public OptionalDouble extractSeconds() {
        return extractionStats.get(EXTRACT_SECONDS) instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }

    /** Bytes of all committed shards. */
    public long shardBytes() {
        return shards.stream().mapToLong(ShardRecord::bytes).sum();
    }
}
