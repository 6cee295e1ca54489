package io.glimpse.cache.vectors;

import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.CacheVectorView;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.VerifyReport;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.synth.SynthSpec;
import io.glimpse.cache.synth.Synthesizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLS / patch-mean sidecar: its values, the batches served from it, verification and rebuilding. */
class VectorSidecarTest {
    private static final TokenLayout LAYOUT = new TokenLayout(10, 24, 1, 3, 3);

    private static CacheKey synth(CacheStore store, TokenDtype dtype, int rows) {
        // 37 rows per shard: several shards, and chunks/batches below that cross shard boundaries
        return new Synthesizer(store, 2, 37).ensure(new SynthSpec(rows, LAYOUT, 7, dtype, 5, "train"), r -> { }).key();
    }

    @Test
    void vectorsAreTokenZeroAndThePatchMeanOfTheStoredValues(@TempDir Path root) {
        for (TokenDtype dtype : TokenDtype.values()) {
            CacheStore store = CacheStore.open(root.resolve(dtype.label()));
            CacheKey key = synth(store, dtype, 200);
            try (TokenCache cache = store.openReader(key)) {
                new VectorBuilder(3, 11, 30).build(cache, VectorBuildProgress.SILENT);
                MappedVectors v = MappedVectors.open(cache.directory(), cache.manifest(), "test");
                int n = cache.rows();
                int d = LAYOUT.dim();
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) rows[i] = n - 1 - i; // backwards: runs of one row
                FloatBuffer tokens = FloatBuffer.allocate(n * LAYOUT.rowValues());
                cache.gather(rows, n, "tokens", tokens);
                FloatBuffer cls = FloatBuffer.allocate(n * d);
                FloatBuffer mean = FloatBuffer.allocate(n * d);
                v.gather(rows, n, 0, VectorKind.CLS, cls);
                v.gather(rows, n, 0, VectorKind.PATCH_MEAN, mean);
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        int base = i * LAYOUT.rowValues();
                        assertEquals(tokens.get(base + j), cls.get(i * d + j), 0f, "cls row " + rows[i]);
                        float sum = 0; // float32 accumulation, as a float32 mean over the tokens computes it
                        double exact = 0;
                        double scale = 0;
                        for (int t = 1; t < LAYOUT.tokens(); t++) {
                            float x = tokens.get(base + t * d + j);
                            sum += x;
                            exact += x;
                            scale += Math.abs(x);
                        }
                        float got = mean.get(i * d + j);
                        assertEquals((float) (exact / LAYOUT.patches()), got, 0f, "mean row " + rows[i] + " is the stored values' mean, rounded once");
                        float want = sum / LAYOUT.patches();
                        worst = Math.max(worst, Math.abs(want - got) / (scale / LAYOUT.patches()));
                    }
                }
                assertTrue(worst < 1e-6, dtype + ": patch mean differs from a float32 sum by " + worst + " of the mean magnitude");
            }
        }
    }

    @Test
    void vectorViewServesTheTokenViewsRowsInTheSameOrder(@TempDir Path root) {
        CacheStore store = CacheStore.open(root);
        CacheKey key = synth(store, TokenDtype.FLOAT16, 150);
        try (TokenCache cache = store.openReader(key)) {
            List<String> heard = new ArrayList<>();
            CacheVectorView cls = cache.firstN(120).vectors(VectorKind.CLS, new VectorBuildProgress() {
                @Override
                public void start(String entry, long rows, String reason) {
                    heard.add(reason);
                }
            });
            assertEquals(List.of("missing"), heard);
            assertEquals(new TokenLayout(1, LAYOUT.dim(), 1, 0, 0), cls.layout());
            assertEquals(new TokenLayout(1, LAYOUT.dim(), 0, 0, 0), cache.vectors(VectorKind.PATCH_MEAN, VectorBuildProgress.SILENT).layout());
            EpochPlan plan = new EpochPlan(32, true, 9, 2, true);
            Iterator<TokenBatch> a = cache.firstN(120).subset(range(110)).batches(plan);
            Iterator<TokenBatch> b = cls.subset(range(110)).batches(plan);
            int batches = 0;
            while (a.hasNext()) {
                assertTrue(b.hasNext());
                TokenBatch ta = a.next();
                TokenBatch tb = b.next();
                assertArrayEquals(ta.ids(), tb.ids());
                assertArrayEquals(ta.labels(), tb.labels());
                FloatBuffer x = ta.tokens("tokens");
                FloatBuffer y = tb.tokens("tokens");
                assertEquals(ta.size() * LAYOUT.dim(), y.remaining());
                for (int i = 0; i < ta.size(); i++) {
                    for (int j = 0; j < LAYOUT.dim(); j++) assertEquals(x.get(i * LAYOUT.rowValues() + j), y.get(i * LAYOUT.dim() + j), 0f);
                }
                batches++;
            }
            assertFalse(b.hasNext());
            assertEquals(110 / 32, batches);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void verifyReportsADamagedSidecarInOneLineAndUseRebuildsIt(@TempDir Path root) throws IOException {
        CacheStore store = CacheStore.open(root);
        CacheKey key = synth(store, TokenDtype.FLOAT16, 90);
        Path dir = store.entryDirectory(key);
        try (TokenCache cache = store.openReader(key)) {
            assertTrue(store.verify(key).ok(), "no sidecar yet is fine");
            EntryVectors.ensure(cache, VectorBuildProgress.SILENT);
            assertTrue(store.verify(key).ok(), String.valueOf(store.verify(key).problems()));
        }
        Path file = dir.resolve(VectorRecord.DATA_FILE);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        Files.write(file, flipped);
        assertOneProblem(store, key, "cache entry " + key.shortForm() + ": vectors.arrow: checksum mismatch");
        assertRebuilt(store, key, "checksum mismatch", good);

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(good.length - 100);
        }
        assertOneProblem(store, key, "vectors.arrow: truncated (" + (good.length - 100) + " of " + good.length + " bytes)");
        assertRebuilt(store, key, "truncated", good);

        Path record = dir.resolve(VectorRecord.FILE);
        String json = Files.readString(record);
        Files.writeString(record, json.replace("\"rows\" : 90", "\"rows\" : 91"));
        assertOneProblem(store, key, "vectors.json records 91 rows");
        assertRebuilt(store, key, "vectors.json records 91 rows", good);

        Files.writeString(record, "{not json");
        assertOneProblem(store, key, "vectors.json is not valid JSON");
        assertRebuilt(store, key, "not valid JSON", good);
    }

    @Test
    void aWriterStartingOverAnEntryDropsTheSidecarOfItsEarlierShards(@TempDir Path root) throws IOException {
        CacheStore store = CacheStore.open(root);
        CacheKey key = synth(store, TokenDtype.FLOAT16, 90);
        Path dir = store.entryDirectory(key);
        Manifest m;
        try (TokenCache cache = store.openReader(key)) {
            EntryVectors.ensure(cache, VectorBuildProgress.SILENT);
            m = cache.manifest();
        }
        assertTrue(Files.exists(dir.resolve(VectorRecord.DATA_FILE)));
        // an interrupted removal deletes the manifest first: the shards and the sidecar stay behind
        Files.delete(dir.resolve("manifest.json"));
        try (EntryWriter w = store.openWriter(m.description(), m.layout(), 37)) {
            assertFalse(Files.exists(dir.resolve(VectorRecord.DATA_FILE)), "a sidecar of the earlier shards survived a new writer");
            assertFalse(Files.exists(dir.resolve(VectorRecord.FILE)));
        }
    }

    private static void assertOneProblem(CacheStore store, CacheKey key, String part) {
        VerifyReport r = store.verify(key);
        assertEquals(1, r.problems().size(), String.valueOf(r.problems()));
        assertTrue(r.problems().get(0).contains(part), r.problems().get(0));
        assertFalse(r.problems().get(0).contains("\n"));
    }

    private static void assertRebuilt(CacheStore store, CacheKey key, String reasonPart, byte[] good) throws IOException {
        List<String> reasons = new ArrayList<>();
        try (TokenCache cache = store.openReader(key)) {
            cache.vectors(VectorKind.CLS, new VectorBuildProgress() {
                @Override
                public void start(String entry, long rows, String reason) {
                    reasons.add(reason);
                }
            });
        }
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains(reasonPart), reasons.get(0));
        assertArrayEquals(good, Files.readAllBytes(store.entryDirectory(key).resolve(VectorRecord.DATA_FILE)), "rebuilt byte for byte");
        assertTrue(store.verify(key).ok());
        try (var files = Files.list(store.entryDirectory(key))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }
}
