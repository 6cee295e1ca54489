package io.glimpse.cache;

import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.shard.ShardSchema;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an entry's writer lays out a shard file (schema, record-batch size, schema metadata, rows per shard), in a
 * serializable form: a process that does not hold the entry's lock (a worker on another machine) writes a shard with
 * it that is byte for byte the one the writer itself would have written, and hands it to
 * {@link EntryWriter#commitShardFile} to be recorded.
 */
public record ShardFormat(int tokens, int dim, int prefixTokens, int gridH, int gridW, String dtype, List<String> layers,
                          int rowsPerShard, int batchRows, Map<String, String> metadata) implements Serializable {
    public ShardFormat {
        layers = List.copyOf(layers);
        metadata = new TreeMap<>(metadata);
    }

    public ShardSchema schema() {
        return new ShardSchema(new TokenLayout(tokens, dim, prefixTokens, gridH, gridW), TokenDtype.parse(dtype), layers);
    }

    /** A writer of one shard at {@code file} (a temp name; the caller renames it into the entry). */
    public ShardFileWriter open(Path file, BufferAllocator allocator) throws IOException {
        return new ShardFileWriter(file, schema(), batchRows, metadata, allocator);
    }
}
