package io.glimpse.cache;

import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.shard.ShardSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Shards written with direct IO (token values in place from block-aligned memory, everything else through an
 * aligned staging buffer, the last block padded and the file cut back) are byte for byte the shards written through
 * the page cache, for record batches whose token buffers are big enough to be placed at block boundaries and for
 * small ones, in float16 and float32.
 */
class DirectIoTest {
    @TempDir
    Path root;

    @Test
    void directAndPageCacheWritesGiveTheSameShards() throws Exception {
        boolean direct = directIoWorksHere();
        // 197 x 768 rows in batches of 5: 1.5 MB (float16) and 3 MB (float32) token buffers, block-aligned in the file
        check(new TokenLayout(197, 768, 1, 14, 14), TokenDtype.FLOAT16, 23, 10, 5);
        check(new TokenLayout(197, 768, 1, 14, 14), TokenDtype.FLOAT32, 23, 10, 5);
        // small rows: every buffer goes through the staging buffer
        check(new TokenLayout(5, 8, 1, 2, 2), TokenDtype.FLOAT16, 300, 128, 32);
        Assumptions.assumeTrue(direct, "the temp folder's file system does not take O_DIRECT: both entries went through the page cache");
    }

    private void check(TokenLayout layout, TokenDtype dtype, int rows, int rowsPerShard, int batchRows) throws Exception {
        List<String> layers = List.of("a", "b");
        CacheDescription d = Synthetic.description("train", dtype, layers, 1);
        WriterOptions options = WriterOptions.rowsPerShard(rowsPerShard).withBatchRows(batchRows);
        CacheStore direct = CacheStore.open(root.resolve("direct-" + dtype.label() + layout.dim()));
        CacheStore paged = CacheStore.open(root.resolve("paged-" + dtype.label() + layout.dim()));
        write(direct, d, layout, rows, options.withDirectIo(true));
        write(paged, d, layout, rows, options.withDirectIo(false));
        int shards = (rows + rowsPerShard - 1) / rowsPerShard;
        for (int s = 0; s < shards; s++) {
            byte[] a = Files.readAllBytes(Synthetic.shard(direct, d.key(), s));
            byte[] b = Files.readAllBytes(Synthetic.shard(paged, d.key(), s));
            assertArrayEquals(b, a, dtype.label() + " D=" + layout.dim() + " shard " + s);
        }
        assertTrue(direct.verify(d.key()).ok(), () -> direct.verify(d.key()).problems().toString());
    }

    private static void write(CacheStore store, CacheDescription d, TokenLayout layout, int rows, WriterOptions options) {
        int tv = layout.rowValues();
        SplittableRandom rnd = new SplittableRandom(11);
        try (EntryWriter w = store.openWriter(d, layout, options)) {
            for (int from = 0; from < rows; from += 7) {
                int n = Math.min(7, rows - from);
                String[] ids = new String[n];
                int[] labels = new int[n];
                Map<String, FloatBuffer> tokens = new HashMap<>();
                for (String layer : d.layers()) {
                    FloatBuffer b = ByteBuffer.allocateDirect(n * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    for (int i = 0; i < n * tv; i++) {
                        b.put(i, (float) rnd.nextGaussian());
                    }
                    tokens.put(layer, b);
                }
                for (int r = 0; r < n; r++) {
                    ids[r] = Synthetic.id(from + r);
                    labels[r] = (from + r) % 5;
                }
                w.append(ids, labels, tokens, n);
            }
            w.finish(Map.of(), List.of());
        }
    }

    private boolean directIoWorksHere() throws Exception {
        Path probe = root.resolve("probe.arrow");
        try (BufferAllocator allocator = new RootAllocator()) {
            ShardFileWriter w = new ShardFileWriter(probe, new ShardSchema(new TokenLayout(1, 1, 1, 0, 0), TokenDtype.FLOAT16, List.of("x")), 1, Map.of(), allocator);
            boolean direct = w.directIo();
            w.abort();
            return direct;
        }
    }
}
