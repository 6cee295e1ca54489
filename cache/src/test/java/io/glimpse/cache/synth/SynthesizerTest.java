package io.glimpse.cache.synth;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.half.Float16;
import io.glimpse.cache.quant.Int8Quantizer;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Synthetic entries at a small shape: written by the cache's writer, exact, deterministic, and with real class structure. */
class SynthesizerTest {
    private static final TokenLayout LAYOUT = new TokenLayout(17, 32, 1, 4, 4);
    private static final int CLASSES = 5;

    @TempDir
    Path dir;

    private static SynthSpec spec(String split, long seed, TokenDtype dtype) {
        return new SynthSpec(300, LAYOUT, CLASSES, dtype, seed, split);
    }

    /** Small chunks and shards, so rows cross chunk, record-batch and shard boundaries. */
    private static Synthesizer.Result write(CacheStore store, SynthSpec spec, int threads) {
        return new Synthesizer(store, threads, 128, 7 * 4L * LAYOUT.rowValues()).ensure(spec, r -> { });
    }

    @Test
    void entryVerifiesAndReadsBackExactlyTheGeneratedTokens() {
        for (TokenDtype dtype : TokenDtype.values()) {
            CacheStore store = CacheStore.open(dir.resolve(dtype.label()));
            SynthSpec spec = spec("train", 7, dtype);
            Synthesizer.Result r = write(store, spec, 3);
            assertFalse(r.reused());
            assertEquals(300, r.rows());
            assertTrue(store.verify(r.key()).ok(), () -> store.verify(r.key()).problems().toString());
            long onDisk = store.find(r.key()).orElseThrow().bytesOnDisk();
            assertTrue(onDisk <= spec.estimatedBytes(), onDisk + " bytes on disk, estimated " + spec.estimatedBytes());
            try (TokenCache cache = store.openReader(r.key())) {
                assertEquals(3, cache.manifest().shards().size());
                assertEquals(LAYOUT, cache.layout());
                assertEquals(CLASSES, cache.numClasses());
                float[] stored = gather(cache);
                SynthTokens.Rows rows = new SynthTokens(spec).newRows();
                float[] row = new float[LAYOUT.rowValues()];
                for (int i = 0; i < 300; i++) {
                    rows.fill(i, row, 0);
                    float[] int8 = dtype == TokenDtype.INT8 ? int8RoundTrip(row) : null;
                    for (int v = 0; v < row.length; v++) {
                        float expected = dtype == TokenDtype.FLOAT16 ? Float16.toFloat(Float16.fromFloat(row[v])) : dtype == TokenDtype.INT8 ? int8[v] : row[v];
                        if (Float.compare(expected, stored[i * row.length + v]) != 0) {
                            fail(dtype.label() + " row " + i + " value " + v + ": stored " + stored[i * row.length + v] + ", generated " + expected);
                        }
                    }
                    assertEquals(i % CLASSES, cache.label(i));
                    assertEquals(spec.id(i), cache.id(i));
                    assertEquals(i, cache.row(spec.id(i)).orElseThrow());
                }
            }
        }
    }

    /** A row quantised to int8 and back, as the writer and reader do. */
    private static float[] int8RoundTrip(float[] row) {
        Int8Quantizer q = new Int8Quantizer(LAYOUT.dim());
        ByteBuffer bytes = ByteBuffer.allocate(row.length);
        FloatBuffer scales = FloatBuffer.allocate(LAYOUT.tokens());
        assertEquals(-1, q.quantize(FloatBuffer.wrap(row), 0, bytes, 0, scales, 0, LAYOUT.tokens()));
        FloatBuffer back = FloatBuffer.allocate(row.length);
        q.dequantize(bytes, 0, scales, 0, back, 0, LAYOUT.tokens());
        return back.array();
    }

    @Test
    void sameParametersGiveTheSameKeyAndShardBytesWhateverTheThreads() throws Exception {
        Synthesizer.Result a = write(CacheStore.open(dir.resolve("a")), spec("train", 7, TokenDtype.FLOAT16), 1);
        Synthesizer.Result b = new Synthesizer(CacheStore.open(dir.resolve("b")), 4, 128).ensure(spec("train", 7, TokenDtype.FLOAT16), r -> { });
        assertEquals(a.key(), b.key());
        List<Path> shardsA = shards(dir.resolve("a").resolve(a.key().hex()));
        List<Path> shardsB = shards(dir.resolve("b").resolve(b.key().hex()));
        assertEquals(3, shardsA.size());
        assertEquals(shardsA.stream().map(p -> p.getFileName().toString()).toList(), shardsB.stream().map(p -> p.getFileName().toString()).toList());
        for (int s = 0; s < shardsA.size(); s++) {
            assertArrayEquals(Files.readAllBytes(shardsA.get(s)), Files.readAllBytes(shardsB.get(s)), shardsA.get(s).getFileName().toString());
        }
    }

    @Test
    void everyParameterIsPartOfTheKey() {
        SynthSpec base = spec("train", 7, TokenDtype.FLOAT16);
        List<SynthSpec> variants = List.of(base, spec("train", 8, TokenDtype.FLOAT16), spec("test", 7, TokenDtype.FLOAT16),
                spec("train", 7, TokenDtype.FLOAT32), new SynthSpec(301, LAYOUT, CLASSES, TokenDtype.FLOAT16, 7, "train"),
                new SynthSpec(300, LAYOUT, CLASSES + 1, TokenDtype.FLOAT16, 7, "train"),
                new SynthSpec(300, new TokenLayout(17, 32, 1, 0, 0), CLASSES, TokenDtype.FLOAT16, 7, "train"),
                new SynthSpec(300, new TokenLayout(17, 32, 2, 0, 0), CLASSES, TokenDtype.FLOAT16, 7, "train"),
                new SynthSpec(300, new TokenLayout(18, 32, 2, 4, 4), CLASSES, TokenDtype.FLOAT16, 7, "train"),
                new SynthSpec(300, new TokenLayout(17, 33, 1, 4, 4), CLASSES, TokenDtype.FLOAT16, 7, "train"));
        Set<CacheKey> keys = new HashSet<>();
        for (SynthSpec s : variants) keys.add(s.description().key());
        assertEquals(variants.size(), keys.size());
        assertEquals(base.description().key(), spec("train", 7, TokenDtype.FLOAT16).description().key());
        assertTrue(base.description().canonical().contains("\"generator\":\"" + SynthSpec.GENERATOR + "\""), base.description().canonical());

        // the same names and values without the synthetic member are another entry
        CacheDescription d = base.description();
        CacheDescription extracted = new CacheDescription(d.backboneName(), d.backboneSha256(), d.layers(), d.preprocessing(), d.datasetName(),
                d.datasetFingerprint(), d.split(), d.dtype(), d.views(), d.augmentation(), d.limit());
        assertFalse(extracted.fromGenerator());
        assertFalse(extracted.canonical().contains("synthetic\":{"), extracted.canonical());
        assertNotEquals(d.key(), extracted.key());
    }

    @Test
    void manifestSaysItIsSyntheticAndExtractedManifestsDoNot() throws Exception {
        CacheStore store = CacheStore.open(dir);
        SynthSpec spec = spec("test", 3, TokenDtype.FLOAT16);
        Synthesizer.Result r = write(store, spec, 2);
        Path entry = store.entryDirectory(r.key());
        Manifest m = new ManifestFiles().read(entry, "synthetic");
        assertEquals(EntryStatus.COMPLETE, m.status());
        assertTrue(m.description().fromGenerator());
        assertEquals(spec.parameters(), m.description().synthetic());
        assertEquals(SynthSpec.GENERATOR, m.description().synthetic().get("generator"));
        assertEquals(r.key(), m.description().key(), "the manifest's description still hashes to the key");
        String json = Files.readString(entry.resolve(ManifestFiles.FILE));
        assertTrue(json.contains("\"synthetic\" : {"), json);
        assertTrue(m.extractionStats().containsKey(Manifest.EXTRACT_SECONDS), m.extractionStats().toString());

        CacheDescription d = m.description();
        Manifest plain = new Manifest(Manifest.FORMAT, "0".repeat(64), EntryStatus.PARTIAL, new CacheDescription(d.backboneName(),
                d.backboneSha256(), d.layers(), d.preprocessing(), d.datasetName(), d.datasetFingerprint(), d.split(), d.dtype(), 1, null, 0),
                LAYOUT, 0, 1, List.of(), 0, null, null, "t", "t");
        assertFalse(new ManifestFiles().toJson(plain).contains("synthetic\" :"), new ManifestFiles().toJson(plain));
    }

    @Test
    void classStructureIsLearnableButNotTrivial() {
        CacheStore store = CacheStore.open(dir);
        Synthesizer.Result train = write(store, spec("train", 11, TokenDtype.FLOAT16), 2);
        Synthesizer.Result test = write(store, spec("test", 11, TokenDtype.FLOAT16), 2);
        assertNotEquals(train.key(), test.key());
        try (TokenCache tr = store.openReader(train.key()); TokenCache te = store.openReader(test.key())) {
            float[] trainTokens = gather(tr), testTokens = gather(te);
            // the splits draw different rows
            assertNotEquals(trainTokens[0], testTokens[0]);
            double cls = nearestClassMean(tr, trainTokens, te, testTokens, false);
            double patchMean = nearestClassMean(tr, trainTokens, te, testTokens, true);
            double chance = 1.0 / CLASSES;
            assertTrue(cls > chance + 0.35 && cls < 0.97, "nearest class mean on CLS: " + cls);
            assertTrue(patchMean > chance + 0.1 && patchMean < 0.97, "nearest class mean on the patch mean: " + patchMean);
        }
    }

    @Test
    void aCompleteEntryIsReusedAndAPartialOneResumedToTheSameBytes() throws Exception {
        CacheStore store = CacheStore.open(dir.resolve("resumed"));
        SynthSpec spec = spec("train", 5, TokenDtype.FLOAT16);
        Synthesizer interrupted = new Synthesizer(store, 2, 128, 7 * 4L * LAYOUT.rowValues());
        assertThrows(IllegalStateException.class, () -> interrupted.ensure(spec, rows -> {
            if (rows > 140) throw new IllegalStateException("stop");
        }));
        assertEquals(EntryStatus.PARTIAL, store.find(spec.description().key()).orElseThrow().status());
        List<Long> reported = new ArrayList<>();
        Synthesizer.Result resumed = interrupted.ensure(spec, reported::add);
        assertEquals(128, resumed.resumedFromRow());
        assertEquals(128L, reported.get(0));
        assertEquals(300L, reported.get(reported.size() - 1));
        assertTrue(store.verify(resumed.key()).ok());

        Synthesizer.Result whole = write(CacheStore.open(dir.resolve("whole")), spec, 2);
        List<Path> a = shards(store.entryDirectory(resumed.key())), b = shards(dir.resolve("whole").resolve(whole.key().hex()));
        assertEquals(a.size(), b.size());
        for (int s = 0; s < a.size(); s++) assertArrayEquals(Files.readAllBytes(a.get(s)), Files.readAllBytes(b.get(s)));

        List<Long> none = new ArrayList<>();
        Synthesizer.Result again = interrupted.ensure(spec, none::add);
        assertTrue(again.reused());
        assertEquals(300, again.rows());
        assertTrue(none.isEmpty());
    }

    @Test
    void refusesBeforeWritingWhenTheDiskVisiblyCannotHoldIt() {
        CacheStore store = CacheStore.open(dir.resolve("root"));
        SynthSpec huge = new SynthSpec(Integer.MAX_VALUE, new TokenLayout(197, 768, 1, 14, 14), 1000, TokenDtype.FLOAT32, 0, "train");
        BadInputException e = assertThrows(BadInputException.class, () -> new Synthesizer(store, 1, 0).ensure(huge, r -> { }));
        assertTrue(e.getMessage().contains("not enough disk space") && e.getMessage().contains(huge.description().key().shortForm()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(dir.resolve("root")), "nothing written");
    }

    @Test
    void specRefusesShapesWithoutACLSTokenAndAPatch() {
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(0, LAYOUT, 5, TokenDtype.FLOAT16, 0, "train"));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(1, new TokenLayout(1, 4, 0, 0, 0), 5, TokenDtype.FLOAT16, 0, "train"));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(1, new TokenLayout(3, 4, 0, 0, 0), 5, TokenDtype.FLOAT16, 0, "train"));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(1, new TokenLayout(3, 4, 3, 0, 0), 5, TokenDtype.FLOAT16, 0, "train"));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(1, LAYOUT, 1, TokenDtype.FLOAT16, 0, "train"));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec(1, LAYOUT, 5, TokenDtype.FLOAT16, 0, "val"));
    }

    /** Every row of the entry's one layer, widened to float32. */
    private static float[] gather(TokenCache cache) {
        int n = cache.rows(), rv = cache.layout().rowValues();
        FloatBuffer out = ByteBuffer.allocateDirect(n * rv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        cache.gather(IntStream.range(0, n).toArray(), n, SynthSpec.LAYER, out);
        float[] a = new float[n * rv];
        out.get(0, a);
        return a;
    }

    /** Test accuracy of the nearest class mean (from train rows) on CLS, or on the mean of the patch tokens. */
    private static double nearestClassMean(TokenCache train, float[] trainTokens, TokenCache test, float[] testTokens, boolean patchMean) {
        int dim = LAYOUT.dim();
        double[][] means = new double[CLASSES][dim];
        int[] counts = new int[CLASSES];
        for (int r = 0; r < train.rows(); r++) {
            double[] f = feature(trainTokens, r, patchMean);
            int c = train.label(r);
            counts[c]++;
            for (int i = 0; i < dim; i++) means[c][i] += f[i];
        }
        for (int c = 0; c < CLASSES; c++) for (int i = 0; i < dim; i++) means[c][i] /= counts[c];
        int correct = 0;
        for (int r = 0; r < test.rows(); r++) {
            double[] f = feature(testTokens, r, patchMean);
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < CLASSES; c++) {
                double d = 0;
                for (int i = 0; i < dim; i++) d += (f[i] - means[c][i]) * (f[i] - means[c][i]);
                if (d < bestDist) {
                    bestDist = d;
                    best = c;
                }
            }
            if (best == test.label(r)) correct++;
        }
        return correct / (double) test.rows();
    }

    private static double[] feature(float[] tokens, int row, boolean patchMean) {
        int dim = LAYOUT.dim(), at = row * LAYOUT.rowValues();
        double[] f = new double[dim];
        if (!patchMean) {
            for (int i = 0; i < dim; i++) f[i] = tokens[at + i];
            return f;
        }
        for (int t = LAYOUT.prefixTokens(); t < LAYOUT.tokens(); t++) {
            for (int i = 0; i < dim; i++) f[i] += tokens[at + t * dim + i] / LAYOUT.patches();
        }
        return f;
    }

    private static List<Path> shards(Path entry) throws Exception {
        try (Stream<Path> files = Files.list(entry)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".arrow")).sorted().toList();
        }
    }
}
