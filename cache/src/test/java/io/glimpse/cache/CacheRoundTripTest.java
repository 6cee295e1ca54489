package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.half.Float16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CacheRoundTripTest {
    static final TokenLayout LAYOUT = new TokenLayout(5, 6, 1, 2, 2);
    static final List<String> LAYERS = List.of("hidden_state_4", "last_hidden_state");

    @TempDir
    Path root;

    @Test
    void writesShardsAndReadsEveryValueBack() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, 1000, WriterOptions.rowsPerShard(300).withBatchRows(64), 10);
        CacheEntryInfo info = store.find(key).orElseThrow();
        assertEquals(EntryStatus.COMPLETE, info.status());
        assertEquals(4, info.manifestOrNull().shards().size());
        assertEquals(1000, info.manifestOrNull().rows());
        try (TokenCache c = store.openReader(key)) {
            assertEquals(1000, c.size());
            assertEquals(10, c.numClasses());
            int tv = LAYOUT.rowValues();
            int[] rows = {999, 0, 1, 2, 299, 300, 301, 650, 651};
            for (int l = 0; l < LAYERS.size(); l++) {
                FloatBuffer out = ByteBuffer.allocateDirect(rows.length * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                c.gather(rows, rows.length, LAYERS.get(l), out);
                for (int r = 0; r < rows.length; r++) {
                    for (int i = 0; i < tv; i++) {
                        float want = Float16.toFloat(Float16.fromFloat(Synthetic.value(rows[r], l, i)));
                        assertEquals(want, out.get(r * tv + i), "row " + rows[r] + " layer " + l + " value " + i);
                    }
                }
                ByteBuffer stored = ByteBuffer.allocate(rows.length * tv * 2).order(ByteOrder.LITTLE_ENDIAN);
                c.gatherStored(rows, rows.length, LAYERS.get(l), stored);
                for (int v = 0; v < rows.length * tv; v++) {
                    assertEquals(out.get(v), Float16.toFloat(stored.getShort(2 * v)), "stored value " + v + " of layer " + l);
                }
            }
            for (int r : rows) {
                assertEquals(Synthetic.id(r), c.id(r));
                assertEquals(Synthetic.label(r, 10), c.label(r));
                assertEquals(r, c.row(Synthetic.id(r)).orElseThrow());
            }
            assertTrue(c.row("nope").isEmpty());
        }
    }

    @Test
    void float32EntriesAreExact() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("test", TokenDtype.FLOAT32, List.of("x"), 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, 120, WriterOptions.rowsPerShard(50), 3);
        try (TokenCache c = store.openReader(key)) {
            Iterator<TokenBatch> it = c.batches(EpochPlan.sequential(32));
            int seen = 0;
            while (it.hasNext()) {
                TokenBatch b = it.next();
                FloatBuffer t = b.tokens("x");
                assertEquals(b.size() * LAYOUT.rowValues(), t.limit());
                for (int r = 0; r < b.size(); r++) {
                    assertEquals(Synthetic.id(seen + r), b.ids()[r]);
                    for (int i = 0; i < LAYOUT.rowValues(); i++) {
                        assertEquals(Synthetic.value(seen + r, 0, i), t.get(r * LAYOUT.rowValues() + i));
                    }
                }
                seen += b.size();
            }
            assertEquals(120, seen);
        }
    }

    @Test
    void shuffledEpochsAreSeededAndCoverEveryImage() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, 250, WriterOptions.rowsPerShard(100), 5);
        try (TokenCache c = store.openReader(key)) {
            List<String> a = order(c, new EpochPlan(64, true, 7, 0, false));
            List<String> b = order(c, new EpochPlan(64, true, 7, 0, false));
            List<String> other = order(c, new EpochPlan(64, true, 7, 1, false));
            assertEquals(a, b);
            assertNotEquals(a, other);
            assertEquals(250, new HashSet<>(a).size());
            assertEquals(192, order(c, new EpochPlan(64, true, 7, 0, true)).size());
            // tokens follow their row under shuffling
            TokenBatch batch = c.batches(new EpochPlan(16, true, 3, 2, false)).next();
            FloatBuffer t = batch.tokens("x");
            for (int r = 0; r < batch.size(); r++) {
                int row = c.row(batch.ids()[r]).orElseThrow();
                assertEquals(Synthetic.label(row, 5), batch.labels()[r]);
                assertEquals(Float16.toFloat(Float16.fromFloat(Synthetic.value(row, 0, 4))), t.get(r * LAYOUT.rowValues() + 4));
            }
        }
    }

    @Test
    void concurrentReadersSeeTheSameTokens() throws Exception {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, 300, WriterOptions.rowsPerShard(128), 5);
        try (TokenCache shared = store.openReader(key); TokenCache other = store.openReader(key)) {
            double want = checksum(shared, 1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Double>> sums = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    TokenCache c = t % 2 == 0 ? shared : other;
                    sums.add(pool.submit(() -> checksum(c, 1)));
                }
                for (var f : sums) {
                    assertEquals(want, f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** Order-dependent sum over one shuffled epoch: equal only if every batch holds the same rows and tokens. */
    private static double checksum(TokenCache c, long seed) {
        double sum = 0;
        int step = 0;
        Iterator<TokenBatch> it = c.batches(new EpochPlan(32, true, seed, 0, false));
        while (it.hasNext()) {
            TokenBatch b = it.next();
            FloatBuffer t = b.tokens("x");
            for (int i = 0; i < t.limit(); i += 7) {
                sum += t.get(i) * (++step % 13);
            }
        }
        return sum;
    }

    static List<String> order(TokenCache c, EpochPlan plan) {
        List<String> ids = new ArrayList<>();
        c.batches(plan).forEachRemaining(b -> ids.addAll(List.of(b.ids())));
        return ids;
    }

    @Test
    void closedWriterLeavesPartialEntryThatResumesToTheSameBytes() throws Exception {
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        WriterOptions opt = WriterOptions.rowsPerShard(40).withBatchRows(16);
        CacheStore whole = CacheStore.open(root.resolve("whole"));
        CacheKey key = Synthetic.writeEntry(whole, d, LAYOUT, 150, opt, 4);

        CacheStore resumed = CacheStore.open(root.resolve("resumed"));
        try (EntryWriter w = resumed.openWriter(d, LAYOUT, opt)) {
            Synthetic.append(w, LAYOUT, LAYERS, 0, 95, 37, 4); // 2 shards committed, 15 rows in flight are lost
        }
        assertEquals(EntryStatus.PARTIAL, resumed.find(key).orElseThrow().status());
        assertThrows(BadInputException.class, () -> resumed.openReader(key));
        try (EntryWriter w = resumed.openWriter(d, LAYOUT, opt)) {
            assertEquals(80, w.committedRows());
            Synthetic.append(w, LAYOUT, LAYERS, (int) w.committedRows(), 150, 37, 4);
            w.finish(Map.of("extract_seconds", 1.5), List.of());
        }
        for (int s = 0; s < 4; s++) {
            assertArrayEquals(Files.readAllBytes(Synthetic.shard(whole, key, s)), Files.readAllBytes(Synthetic.shard(resumed, key, s)), "shard " + s);
        }
        assertTrue(resumed.verify(key).ok(), () -> resumed.verify(key).problems().toString());
    }

    @Test
    void multiViewEntriesDrawOneSeededViewPerImage() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), 3);
        int images = 40;
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.rowsPerShard(50))) {
            // rows are image-major: image i view k is row i*3+k; labels repeat per image
            Synthetic.append(w, LAYOUT, List.of("x"), 0, images * 3, 30, 1000);
            w.finish(Map.of(), List.of());
        }
        try (TokenCache c = store.openReader(d.key())) {
            assertEquals(images, c.size());
            Set<Integer> viewsSeen = new HashSet<>();
            List<String> e0 = order(c, new EpochPlan(8, true, 1, 0, false));
            assertEquals(e0, order(c, new EpochPlan(8, true, 1, 0, false)));
            Set<Integer> imagesSeen = new HashSet<>();
            for (String id : e0) {
                int row = c.row(id).orElseThrow();
                imagesSeen.add(row / 3);
                viewsSeen.add(row % 3);
            }
            assertEquals(images, imagesSeen.size());
            assertEquals(3, viewsSeen.size());
        }
    }

    @Test
    void sameDescriptionSameKeyAnyChangeNewKey() {
        CacheDescription a = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        CacheDescription b = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        assertEquals(a.key(), b.key());
        assertEquals(a.canonical(), b.canonical());
        Set<CacheKey> keys = new HashSet<>();
        keys.add(a.key());
        keys.add(Synthetic.description("test", TokenDtype.FLOAT16, LAYERS, 1).key());
        keys.add(Synthetic.description("train", TokenDtype.FLOAT32, LAYERS, 1).key());
        keys.add(Synthetic.description("train", TokenDtype.FLOAT16, List.of("last_hidden_state", "hidden_state_4"), 1).key());
        keys.add(Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 2).key());
        keys.add(new CacheDescription(a.backboneName(), "cd".repeat(32), a.layers(), a.preprocessing(), a.datasetName(), a.datasetFingerprint(), a.split(), a.dtype(), 1, a.augmentation(), 0).key());
        keys.add(new CacheDescription(a.backboneName(), a.backboneSha256(), a.layers(), a.preprocessing(), a.datasetName(), "fp-2", a.split(), a.dtype(), 1, a.augmentation(), 0).key());
        keys.add(new CacheDescription(a.backboneName(), a.backboneSha256(), a.layers(), a.preprocessing(), a.datasetName(), a.datasetFingerprint(), a.split(), a.dtype(), 1, a.augmentation(), 500).key());
        var pre = new java.util.TreeMap<>(a.preprocessing());
        pre.put("std", "0.26");
        keys.add(new CacheDescription(a.backboneName(), a.backboneSha256(), a.layers(), pre, a.datasetName(), a.datasetFingerprint(), a.split(), a.dtype(), 1, a.augmentation(), 0).key());
        assertEquals(9, keys.size());
        // pinned: the canonical form must not drift between versions or machines
        assertEquals("{\"format\":\"glimpse-cache-key/1\",\"backbone\":{\"name\":\"synthetic-vit\",\"sha256\":\"" + "ab".repeat(32)
                + "\"},\"layers\":[\"hidden_state_4\",\"last_hidden_state\"],\"preprocessing\":{\"mean\":\"0.5\",\"size\":\"28\",\"std\":\"0.25\"},"
                + "\"dataset\":{\"name\":\"synthetic\",\"fingerprint\":\"fp-1\"},\"split\":\"train\",\"dtype\":\"float16\",\"views\":1,\"augmentation\":{},\"limit\":0}", a.canonical());
    }
}
