package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Bad writer input is refused with a message naming the entry; the index grows past its first capacity. */
class WriterInputTest {
    static final TokenLayout LAYOUT = new TokenLayout(2, 3, 0, 0, 0);

    @TempDir
    Path root;

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Test
    void refusesMissingLayersShortBuffersAndRepeatedIds() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("a", "b"), 1);
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.rowsPerShard(4))) {
            String name = "cache entry " + d.key().shortForm();
            BadInputException missing = assertThrows(BadInputException.class,
                    () -> w.append(new String[] {"x"}, new int[] {0}, Map.of("a", floats(6)), 1));
            assertTrue(missing.getMessage().startsWith(name) && missing.getMessage().contains("'b'"), missing.getMessage());
            BadInputException shortBuf = assertThrows(BadInputException.class,
                    () -> w.append(new String[] {"x", "y"}, new int[] {0, 1}, Map.of("a", floats(6), "b", floats(12)), 2));
            assertTrue(shortBuf.getMessage().contains("layer 'a' has 6 values"), shortBuf.getMessage());
            w.append(new String[] {"x", "y", "z", "w", "v"}, new int[5], Map.of("a", floats(30), "b", floats(30)), 5); // commits a shard
            BadInputException again = assertThrows(BadInputException.class,
                    () -> w.append(new String[] {"y"}, new int[1], Map.of("a", floats(6), "b", floats(6)), 1));
            assertTrue(again.getMessage().contains("'y' appears twice"), again.getMessage());
            BadInputException inFlight = assertThrows(BadInputException.class,
                    () -> w.append(new String[] {"v"}, new int[1], Map.of("a", floats(6), "b", floats(6)), 1));
            assertTrue(inFlight.getMessage().contains("'v' appears twice"), inFlight.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Synthetic.description("train", TokenDtype.FLOAT16, List.of("a", "a"), 1));
    }

    @Test
    void completeEntryIsNotReopenedForWriting() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("a"), 1);
        Synthetic.writeEntry(store, d, LAYOUT, 10, WriterOptions.rowsPerShard(4), 2);
        BadInputException e = assertThrows(BadInputException.class, () -> store.openWriter(d, LAYOUT, WriterOptions.defaults()));
        assertTrue(e.getMessage().contains("already complete"), e.getMessage());
    }

    @Test
    void emptyEntryIsCompleteAndReadable() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("val", TokenDtype.FLOAT16, List.of("a"), 1);
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.defaults())) {
            w.finish(Map.of(), List.of("all/skipped"));
        }
        assertTrue(store.verify(d.key()).ok());
        try (TokenCache c = store.openReader(d.key())) {
            assertEquals(0, c.size());
            assertEquals(0, c.numClasses());
            assertFalse(c.batches(EpochPlan.sequential(8)).hasNext());
            assertTrue(c.row("any").isEmpty());
            assertEquals(List.of("all/skipped"), c.manifest().skippedIds());
        }
    }

    @Test
    void indexGrowsBeyondItsFirstCapacity() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("a"), 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, 5000, WriterOptions.rowsPerShard(700), 3);
        assertTrue(store.find(key).orElseThrow().manifestOrNull().indexCapacity() >= 5000);
        assertTrue(store.verify(key).ok(), () -> store.verify(key).problems().toString());
        try (TokenCache c = store.openReader(key)) {
            for (int r = 0; r < 5000; r += 97) {
                assertEquals(r, c.row(Synthetic.id(r)).orElseThrow());
            }
        }
    }

    @Test
    void batchFromAnEndedEpochCannotBeRead() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("a"), 1);
        try (TokenCache c = store.openReader(Synthetic.writeEntry(store, d, LAYOUT, 10, WriterOptions.rowsPerShard(4), 2))) {
            Iterator<TokenBatch> it = c.batches(EpochPlan.sequential(4));
            TokenBatch first = it.next();
            first.tokens("a");
            TokenBatch second = it.next();
            assertThrows(IllegalStateException.class, () -> first.tokens("a"), "buffers are reused by the next batch");
            TokenBatch last = it.next();
            assertEquals(2, last.size());
            assertEquals(2 * LAYOUT.rowValues(), last.tokens("a").limit());
            assertFalse(it.hasNext());
            assertThrows(IllegalStateException.class, () -> last.tokens("a"), "buffers went back to the pool");
            assertThrows(BadInputException.class, () -> c.batches(EpochPlan.sequential(4)).next().tokens("nope"));
            assertEquals(4, second.size());
        }
    }
}
