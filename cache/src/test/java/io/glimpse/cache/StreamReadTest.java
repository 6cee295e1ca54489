package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.read.ReadMode;
import io.glimpse.cache.select.RowSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stream mode against mapped mode on the same entries: every batch of every epoch byte for byte (tokens of each
 * layer, labels, ids), for shuffled and sequential plans, partial last batches, subsets and multi-view entries;
 * buffers that do not grow with epochs or entry size; a shard truncated mid-epoch.
 */
class StreamReadTest {
    static final TokenLayout LAYOUT = new TokenLayout(5, 6, 1, 2, 2);
    static final List<String> LAYERS = List.of("h4", "h8");

    @TempDir
    Path root;

    private CacheKey write(TokenDtype dtype, int views, int rows) {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", dtype, LAYERS, views);
        return Synthetic.writeEntry(store, d, LAYOUT, rows, WriterOptions.rowsPerShard(70).withBatchRows(16), 9);
    }

    private TokenCache open(CacheKey key, ReadMode mode) {
        return CacheStore.open(root).withReadMode(mode).openReader(key);
    }

    /** Epochs of both sources agree batch for batch; batch i reads layer (i % 3 == 2 ? both : i % 2). */
    private static int assertSameEpochs(TokenSource mapped, TokenSource stream, int batch, boolean shuffle, boolean dropLast, long seed) {
        int batches = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            EpochPlan plan = new EpochPlan(batch, shuffle, seed, epoch, dropLast);
            Iterator<TokenBatch> a = mapped.batches(plan);
            Iterator<TokenBatch> b = stream.batches(plan);
            int i = 0;
            while (a.hasNext()) {
                assertTrue(b.hasNext(), "stream ended early at batch " + i);
                TokenBatch x = a.next();
                TokenBatch y = b.next();
                String where = "epoch " + epoch + " batch " + i + " (" + plan + ")";
                assertEquals(x.size(), y.size(), where);
                assertArrayEquals(x.labels(), y.labels(), where);
                for (int l = 0; l < LAYERS.size(); l++) {
                    if (i % 3 != 2 && l != i % 2) continue;
                    ByteBuffer tx = x.tokenBytes(LAYERS.get(l));
                    ByteBuffer ty = y.tokenBytes(LAYERS.get(l));
                    assertEquals(x.size() * LAYOUT.rowValues() * 4, ty.remaining(), where);
                    assertEquals(tx, ty, where + " layer " + LAYERS.get(l));
                }
                assertArrayEquals(x.ids(), y.ids(), where);
                i++;
                batches++;
            }
            assertFalse(b.hasNext(), "stream has more batches than mapped");
        }
        return batches;
    }

    @Test
    void streamBatchesAreByteIdenticalToMappedOnes() {
        for (TokenDtype dtype : TokenDtype.values()) {
            for (int views : new int[] {1, 3}) {
                CacheKey key = write(dtype, views, 333 * views);
                try (TokenCache mapped = open(key, ReadMode.MAPPED); TokenCache stream = open(key, ReadMode.STREAM)) {
                    assertEquals(ReadMode.MAPPED, mapped.readMode());
                    assertEquals(ReadMode.STREAM, stream.readMode());
                    int seen = 0;
                    for (int batch : new int[] {1, 7, 64, 500}) {
                        for (long seed : new long[] {0, 42}) {
                            seen += assertSameEpochs(mapped, stream, batch, true, batch == 64, seed);
                        }
                        seen += assertSameEpochs(mapped, stream, batch, false, false, 0);
                    }
                    assertTrue(seen > 1000, "compared " + seen + " batches");

                    RowSelection.Rows chosen = new RowSelection(300, 0, 0.2, 5).choose(mapped.labels());
                    assertSameEpochs(mapped.subset(chosen.train()), stream.subset(chosen.train()), 32, true, true, 3);
                    assertSameEpochs(mapped.heldOut(chosen.validation()), stream.heldOut(chosen.validation()), 10, false, false, 0);
                    RowSelection.Rows shots = new RowSelection(0, 5, 0, 8).choose(mapped.labels());
                    assertSameEpochs(mapped.subset(shots.train()), stream.subset(shots.train()), 8, true, false, 9);
                    assertSameEpochs(mapped.firstN(101), stream.firstN(101), 20, true, false, 1);
                }
            }
        }
    }

    @Test
    void streamBuffersAreBoundedWhateverTheEpochsAndEntrySize() {
        CacheKey small = write(TokenDtype.FLOAT16, 1, 200);
        try (TokenCache c = open(small, ReadMode.STREAM)) {
            int batch = 8;
            readEpochs(c, batch, 1);
            int afterOne = c.bufferPool().allocated();
            readEpochs(c, batch, 5);
            assertEquals(afterOne, c.bufferPool().allocated(), "later epochs reuse the first epoch's buffers");
            int perLayer = StreamBatches.depth(batch, c.streamThreads()) + 1;
            assertTrue(afterOne <= LAYERS.size() * perLayer, afterOne + " buffers for " + LAYERS.size() + " layers, bound " + perLayer + " each");
            assertTrue(afterOne >= LAYERS.size() * 2, "prefetching needs buffers ahead: " + afterOne);
            long bound = c.streamMemoryBound(batch, LAYERS.size());
            assertTrue(afterOne * (long) batch * LAYOUT.rowValues() * 4 <= bound);
            try (TokenCache larger = open(write(TokenDtype.FLOAT16, 2, 2000), ReadMode.STREAM)) {
                assertEquals(bound, larger.streamMemoryBound(batch, LAYERS.size()), "the bound does not grow with the entry");
            }
        }
    }

    private static void readEpochs(TokenCache c, int batch, int epochs) {
        for (int e = 0; e < epochs; e++) {
            Iterator<TokenBatch> it = c.batches(new EpochPlan(batch, true, 1, e, false));
            while (it.hasNext()) {
                TokenBatch b = it.next();
                for (String l : LAYERS) b.tokenBytes(l);
            }
        }
    }

    @Test
    void aShardTruncatedMidEpochIsOneLineNamingTheFile() throws Exception {
        CacheKey key = write(TokenDtype.FLOAT16, 1, 333);
        try (TokenCache c = open(key, ReadMode.STREAM)) {
            Iterator<TokenBatch> it = c.batches(EpochPlan.sequential(10));
            it.next().tokenBytes("h4"); // rows 0..9; reads run ahead to row 80 at most, shard 2 starts at row 140
            try (FileChannel ch = FileChannel.open(Synthetic.shard(CacheStore.open(root), key, 2), StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 3);
            }
            BadInputException e = assertThrows(BadInputException.class, () -> {
                while (it.hasNext()) it.next().tokenBytes("h4");
            });
            assertTrue(e.getMessage().contains("shard-00002.arrow") && e.getMessage().contains("truncated"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void autoStreamsOnlyEntriesLargerThanMostOfTheAvailableMemory() {
        assertEquals(ReadMode.STREAM, ReadMode.AUTO.resolve(39_000_000_000L, 24_000_000_000L));
        assertEquals(ReadMode.MAPPED, ReadMode.AUTO.resolve(900_000_000L, 24_000_000_000L));
        assertEquals(ReadMode.MAPPED, ReadMode.AUTO.resolve(39_000_000_000L, -1), "unknown memory: mapped, as before");
        assertEquals(ReadMode.STREAM, ReadMode.STREAM.resolve(1, 24_000_000_000L));
        assertEquals(ReadMode.MAPPED, ReadMode.MAPPED.resolve(39_000_000_000L, 1));
        CacheKey key = write(TokenDtype.FLOAT16, 1, 50);
        try (TokenCache c = open(key, ReadMode.AUTO)) {
            assertEquals(ReadMode.MAPPED, c.readMode(), "a small entry on any test machine: " + c.readModeReason());
        }
        BadInputException e = assertThrows(BadInputException.class, () -> ReadMode.parse("fast", "--read"));
        assertEquals("--read: 'fast' is not one of auto, mapped, stream", e.getMessage());
    }
}
