package io.glimpse.cache;

import io.glimpse.cache.half.Float16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ViT-B-sized rows appended in pieces that the writer splits among several narrowing threads, across record-batch
 * and shard boundaries: every value reads back as the scalar conversion of its input, and every shard's recorded
 * CRC-32C (folded from the threads' pieces) matches the file.
 */
class ParallelWriteTest {
    @TempDir
    Path root;

    @Test
    void manyThreadsWriteExactlyWhatOneWould() {
        TokenLayout layout = new TokenLayout(197, 768, 1, 14, 14);
        int tv = layout.rowValues();
        int rows = 23;
        List<String> layers = List.of("a", "b");
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, layers, 1);
        FloatBuffer[] input = new FloatBuffer[layers.size()];
        SplittableRandom rnd = new SplittableRandom(9);
        for (int l = 0; l < layers.size(); l++) {
            input[l] = ByteBuffer.allocateDirect(rows * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < rows * tv; i++) {
                input[l].put(i, i % 1009 == 0 ? 0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-6, 4))));
            }
        }
        CacheStore store = CacheStore.open(root);
        WriterOptions options = WriterOptions.rowsPerShard(10).withBatchRows(4).withThreads(4);
        try (EntryWriter w = store.openWriter(d, layout, options)) {
            int[] pieces = {1, 7, 2, 9, 4}; // 1 row is one narrowing task per layer; 9 rows are several
            int at = 0;
            for (int n : pieces) {
                String[] ids = new String[n];
                int[] labels = new int[n];
                for (int r = 0; r < n; r++) {
                    ids[r] = Synthetic.id(at + r);
                    labels[r] = (at + r) % 3;
                }
                int from = at;
                w.append(ids, labels, Map.of("a", input[0].duplicate().position(from * tv), "b", input[1].duplicate().position(from * tv)), n);
                at += n;
            }
            assertEquals(rows, at);
            w.finish(Map.of(), List.of());
        }
        assertTrue(store.verify(d.key()).ok(), () -> store.verify(d.key()).problems().toString());
        try (TokenCache c = store.openReader(d.key())) {
            assertEquals(3, c.manifest().shards().size());
            int[] all = new int[rows];
            for (int r = 0; r < rows; r++) {
                all[r] = r;
            }
            for (int l = 0; l < layers.size(); l++) {
                ByteBuffer stored = ByteBuffer.allocate(rows * tv * 2).order(ByteOrder.LITTLE_ENDIAN);
                c.gatherStored(all, rows, layers.get(l), stored);
                for (int v = 0; v < rows * tv; v++) {
                    short want = Float16.fromFloat(input[l].get(v));
                    if (stored.getShort(2 * v) != want) fail("layer " + layers.get(l) + " value " + v + ": " + stored.getShort(2 * v) + " != " + want);
                }
            }
            for (int r = 0; r < rows; r++) {
                assertEquals(Synthetic.id(r), c.id(r));
                assertEquals(r % 3, c.label(r));
            }
        }
    }
}
