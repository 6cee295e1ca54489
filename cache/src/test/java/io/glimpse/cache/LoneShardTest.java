package io.glimpse.cache;

import io.glimpse.cache.shard.FixedShapeTensorType;
import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.shard.ShardSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A shard written on its own (by a process that does not hold the entry, with a pipeline of its own) is byte for
 * byte the shard the entry's writer writes for the same rows, schema, batch rows and metadata.
 */
class LoneShardTest {
    @TempDir
    Path root;

    @Test
    void loneShardEqualsTheEntryWritersShard() throws Exception {
        TokenLayout layout = new TokenLayout(6, 10, 1, 1, 5);
        List<String> layers = List.of("hidden_state_4", "last_hidden_state");
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, layers, 1);
        int rows = 45;
        int batchRows = 8;
        CacheStore store = CacheStore.open(root.resolve("cache"));
        CacheKey key = Synthetic.writeEntry(store, d, layout, rows, WriterOptions.rowsPerShard(100).withBatchRows(batchRows), 7);
        Path entryShard = store.entryDirectory(key).resolve("shard-00000.arrow");

        Map<String, String> metadata;
        FixedShapeTensorType.register();
        try (BufferAllocator a = new RootAllocator(); ArrowFileReader r = new ArrowFileReader(FileChannel.open(entryShard, StandardOpenOption.READ), a)) {
            metadata = new TreeMap<>(r.getVectorSchemaRoot().getSchema().getCustomMetadata()); // in key order, as the entry writer keeps it
        }
        Path lone = root.resolve("lone.arrow");
        int tv = layout.rowValues();
        try (BufferAllocator allocator = new RootAllocator()) {
            ShardFileWriter w = new ShardFileWriter(lone, new ShardSchema(layout, TokenDtype.FLOAT16, layers), batchRows, metadata, allocator);
            for (int from = 0; from < rows; from += 13) { // other append sizes than the entry's: the bytes must not care
                int n = Math.min(13, rows - from);
                String[] ids = new String[n];
                int[] labels = new int[n];
                List<FloatBuffer> tokens = new ArrayList<>();
                for (int l = 0; l < layers.size(); l++) {
                    FloatBuffer b = ByteBuffer.allocateDirect(n * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < tv; i++) {
                            b.put(r * tv + i, Synthetic.value(from + r, l, i));
                        }
                    }
                    tokens.add(b);
                }
                for (int r = 0; r < n; r++) {
                    ids[r] = Synthetic.id(from + r);
                    labels[r] = Synthetic.label(from + r, 7);
                }
                w.append(ids, labels, tokens, 0, n);
            }
            ShardFileWriter.Written written = w.finish();
            assertEquals(rows, written.rows());
            assertEquals(Files.size(entryShard), written.bytes());
            assertEquals(store.find(key).orElseThrow().manifestOrNull().shards().get(0).crc32c(), written.crc32c());
        }
        assertArrayEquals(Files.readAllBytes(entryShard), Files.readAllBytes(lone));
    }
}
