package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.extract.RepoFiles;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture's golden tokens through the whole pipeline: IDX decode, preprocessing, the ONNX backbone, the
 * writer and the cache reader, for both golden layers at once.
 */
class GoldenExtractionTest {
    private static final List<String> LAYERS = List.of("hidden_state_4", "last_hidden_state");

    private static ExtractRequest request(Path datasetYaml, TokenDtype dtype) {
        return ExtractRequest.of(BackboneConfigLoader.load(TestData.backboneYaml().toString()), DatasetConfigLoader.load(datasetYaml.toString()),
                        "test", new BackboneOptions(2, DeviceChoice.CPU, null))
                .withLayers(LAYERS).withDtype(dtype).withLimit(16).withBatch(5, 2); // 5: batches split the 16 unevenly
    }

    private static float[] cached(CacheStore store, ExtractResult r, String layer, int[] labelsOut, String[] idsOut) {
        try (TokenCache cache = store.openReader(r.key())) {
            assertEquals(16, cache.size());
            Iterator<TokenBatch> it = cache.batches(EpochPlan.sequential(16));
            TokenBatch b = it.next();
            System.arraycopy(b.labels(), 0, labelsOut, 0, 16);
            System.arraycopy(b.ids(), 0, idsOut, 0, 16);
            FloatBuffer t = b.tokens(layer);
            float[] out = new float[t.remaining()];
            t.duplicate().get(out);
            assertFalse(it.hasNext()); // ends the epoch, which invalidates b
            return out;
        }
    }

    private static void checkFloat32(CacheStore store, ExtractResult r) throws Exception {
        for (String layer : LAYERS) {
            float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16." + layer + ".bin");
            int[] labels = new int[16];
            String[] ids = new String[16];
            float[] got = cached(store, r, layer, labels, ids);
            assertEquals(golden.length, got.length);
            double max = 0;
            for (int i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(got[i] - golden[i]));
            assertTrue(max <= 1e-4, layer + ": max abs diff " + max);
            assertArrayEquals(TestData.GOLDEN_LABELS, labels);
            assertEquals("test/000000", ids[0]);
            assertEquals("test/000015", ids[15]);
        }
    }

    @Test
    void float32MatchesGoldenWithin1e4(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 1);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult r = new Extractor(store).ensure(request(yaml, TokenDtype.FLOAT32));
        assertFalse(r.reused());
        assertEquals(16, r.rows());
        assertEquals(50, r.layout().tokens());
        checkFloat32(store, r);
        checkSidecar(store, r);
    }

    /** A completed extraction leaves a sound vector sidecar whose CLS vectors are token 0 of the golden tokens. */
    private static void checkSidecar(CacheStore store, ExtractResult r) throws Exception {
        try (TokenCache cache = store.openReader(r.key())) {
            assertTrue(EntryVectors.present(cache.directory()), "extraction built no vector sidecar");
            assertEquals(Optional.empty(), EntryVectors.problem(cache));
            assertTrue(store.verify(r.key()).ok(), String.valueOf(store.verify(r.key()).problems()));
            // opened as stored, not through cache.vectors(), which would build a missing sidecar itself
            MappedVectors vectors = MappedVectors.open(cache.directory(), cache.manifest(), "golden entry");
            TokenLayout layout = r.layout();
            int n = cache.rows();
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) rows[i] = i;
            for (String layer : LAYERS) {
                float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16." + layer + ".bin");
                FloatBuffer cls = FloatBuffer.allocate(n * layout.dim());
                vectors.gather(rows, n, cache.layerIndex(layer), VectorKind.CLS, cls);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < layout.dim(); j++) {
                        float want = golden[i * layout.rowValues() + j];
                        assertEquals(want, cls.get(i * layout.dim() + j), 1e-4, layer + " CLS of row " + i + " [" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void float16IsGoldenRoundedToHalf(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 1);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult r = new Extractor(store).ensure(request(yaml, TokenDtype.FLOAT16));
        for (String layer : LAYERS) {
            float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16." + layer + ".bin");
            float[] got = cached(store, r, layer, new int[16], new String[16]);
            int rounded = 0;
            for (int i = 0; i < golden.length; i++) {
                // half an fp16 ulp at the golden value's magnitude, plus ONNX Runtime's own ~1e-6 noise
                double tol = 0.5 * halfUlp(golden[i]) + 1e-5;
                assertTrue(Math.abs(got[i] - golden[i]) <= tol, layer + "[" + i + "]: " + got[i] + " vs golden " + golden[i]);
                if (Math.abs(got[i] - golden[i]) > 1e-4) rounded++;
            }
            assertTrue(rounded > 0, "float16 storage should round some values by more than 1e-4");
        }
    }

    @Test
    void int8IsGoldenWithinHalfAScalePerToken(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 1);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult r = new Extractor(store).ensure(request(yaml, TokenDtype.INT8));
        TokenLayout layout = r.layout();
        int dim = layout.dim();
        int rowsTokens = 16 * layout.tokens();
        for (String layer : LAYERS) {
            float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16." + layer + ".bin");
            float[] got = cached(store, r, layer, new int[16], new String[16]);
            FloatBuffer scales = FloatBuffer.allocate(rowsTokens);
            int[] all = new int[16];
            for (int i = 0; i < 16; i++) all[i] = i;
            try (TokenCache cache = store.openReader(r.key())) {
                cache.gatherScales(all, 16, layer, scales);
            }
            double worstHalf = 0; // the largest error in units of half an fp16 ulp: int8 must be coarser than float16
            for (int t = 0; t < rowsTokens; t++) {
                double max = 0;
                for (int d = 0; d < dim; d++) max = Math.max(max, Math.abs(golden[t * dim + d]));
                double scale = max / 127;
                // ONNX Runtime's ~1e-6 noise moves the token's maximum, hence its scale, by as little
                assertEquals(scale, scales.get(t), 1e-5 / 127 + 1e-6 * scale, layer + " token " + t + ": scale = max|x| / 127");
                for (int d = 0; d < dim; d++) {
                    int i = t * dim + d;
                    double err = Math.abs(got[i] - golden[i]);
                    assertTrue(err <= scale / 2 + 1e-5, layer + "[" + i + "]: " + got[i] + " vs golden " + golden[i] + ", scale " + scale);
                    worstHalf = Math.max(worstHalf, err / (0.5 * halfUlp(golden[i]) + 1e-5));
                }
            }
            assertTrue(worstHalf > 1, layer + ": int8 errors should exceed float16's (worst " + worstHalf + " of float16's bound)");
        }
        try (TokenCache cache = store.openReader(r.key())) {
            assertTrue(store.verify(r.key()).ok(), String.valueOf(store.verify(r.key()).problems()));
            MappedVectors vectors = MappedVectors.open(cache.directory(), cache.manifest(), "int8 golden entry");
            for (String layer : LAYERS) {
                float[] tokens = cached(store, r, layer, new int[16], new String[16]);
                int[] rows = new int[16];
                for (int i = 0; i < 16; i++) rows[i] = i;
                FloatBuffer cls = FloatBuffer.allocate(16 * dim);
                FloatBuffer mean = FloatBuffer.allocate(16 * dim);
                vectors.gather(rows, 16, cache.layerIndex(layer), VectorKind.CLS, cls);
                vectors.gather(rows, 16, cache.layerIndex(layer), VectorKind.PATCH_MEAN, mean);
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < dim; j++) {
                        int base = i * layout.rowValues();
                        assertEquals(tokens[base + j], cls.get(i * dim + j), 0f, layer + " CLS of row " + i + " is the dequantised token 0");
                        double sum = 0;
                        for (int t = layout.prefixTokens(); t < layout.tokens(); t++) sum += tokens[base + t * dim + j];
                        assertEquals((float) (sum / layout.patches()), mean.get(i * dim + j), 0f, layer + " patch mean of row " + i + " [" + j + "]");
                    }
                }
            }
        }
    }

    /** Spacing of float16 numbers around |v| (2^-24 for subnormals). */
    static double halfUlp(float v) {
        double a = Math.abs(v);
        if (a < Math.scalb(1.0, -14)) return Math.scalb(1.0, -24);
        return Math.scalb(1.0, Math.getExponent((float) a) - 10);
    }

    @Test
    void realFashionMnistConfigGivesTheGoldenTokens(@TempDir Path tmp) throws Exception {
        Path conf = RepoFiles.root().resolve("conf/datasets/fashion-mnist.yaml");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
                || System.getenv("GLIMPSE_FASHION_MNIST_DIR") != null, "Fashion-MNIST not installed (make data)");
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult r = new Extractor(store).ensure(request(conf, TokenDtype.FLOAT32));
        checkFloat32(store, r);
        // the same request again is a cache hit that does not touch the backbone
        ExtractResult again = new Extractor(store).ensure(request(conf, TokenDtype.FLOAT32));
        assertTrue(again.reused());
        assertEquals(r.key(), again.key());
        assertTrue(again.seconds() < 3, "reuse took " + again.seconds() + " s");
    }
}
