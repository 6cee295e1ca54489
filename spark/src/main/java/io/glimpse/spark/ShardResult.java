package io.glimpse.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A finished task: its shard, written and fsynced under the attempt-unique {@code tempFile} in the entry directory
 * (null when every image of its rows was skipped), with the rows, size and CRC-32C its writer saw, the ids skipped
 * as undecodable and the pipeline's timings.
 */
record ShardResult(ShardTask task, String tempFile, int rows, long bytes, String crc32c, List<String> skippedIds,
                   Map<String, Double> timings) implements Serializable {
    ShardResult {
        skippedIds = List.copyOf(skippedIds);
        timings = Map.copyOf(timings);
    }
}
