package io.glimpse.extract.online;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.SeededOrder;
import io.glimpse.extract.RepoFiles;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineTokenSourceTest {
    private static OnlineTokenSource open(Path tmp, boolean augment) throws Exception {
        BackboneConfig bb = BackboneConfigLoader.load(TestData.backboneYaml().toString());
        DatasetConfig ds = DatasetConfigLoader.load(TestData.goldenIdxDataset(java.nio.file.Files.createDirectories(tmp), 1).toString());
        return OnlineTokenSource.open(bb, ds, "test", List.of("last_hidden_state"), augment, 7, 0, BackboneOptions.cpu());
    }

    /** All tokens and ids of one epoch, in visiting order. */
    private static List<Object> epoch(OnlineTokenSource src, EpochPlan plan) {
        List<String> ids = new ArrayList<>();
        List<Float> firstValues = new ArrayList<>();
        float[] all = new float[src.size() * src.layout().rowValues()];
        int at = 0;
        for (Iterator<TokenBatch> it = src.batches(plan); it.hasNext(); ) {
            TokenBatch b = it.next();
            FloatBuffer t = b.tokens("last_hidden_state");
            assertEquals(b.size() * src.layout().rowValues(), t.remaining());
            t.get(all, at, t.remaining());
            at += b.size() * src.layout().rowValues();
            ids.addAll(List.of(b.ids()));
            firstValues.add(all[0]);
        }
        return List.of(ids, java.util.Arrays.copyOf(all, at));
    }

    @Test
    void originNamesTheModelFileAndTheImagesContent(@TempDir Path tmp) throws Exception {
        String model = io.glimpse.extract.config.Hashing.sha256(BackboneConfigLoader.load(TestData.backboneYaml().toString()).onnxFile());
        try (OnlineTokenSource a = open(tmp.resolve("a"), false); OnlineTokenSource b = open(tmp.resolve("b"), true)) {
            assertTrue(a.origin().startsWith("model " + model.substring(0, 16) + " data "), a.origin());
            assertEquals(a.origin(), b.origin(), "the same model and images wherever they lie, augmented or not");
        }
    }

    @Test
    void plainEpochReproducesTheGoldenTokens(@TempDir Path tmp) throws Exception {
        try (OnlineTokenSource src = open(tmp, false)) {
            assertEquals(16, src.size());
            assertEquals(10, src.numClasses());
            List<Object> e = epoch(src, EpochPlan.sequential(6));
            float[] got = (float[]) e.get(1);
            float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16.last_hidden_state.bin");
            double max = 0;
            for (int i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(got[i] - golden[i]));
            assertTrue(max <= 1e-4, "max abs diff " + max);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shuffledEpochFollowsTheSeededPermutationAndDropsTheLastBatch(@TempDir Path tmp) throws Exception {
        try (OnlineTokenSource src = open(tmp, false)) {
            List<String> ids = (List<String>) epoch(src, new EpochPlan(5, true, 3, 2, true)).get(0);
            int[] perm = SeededOrder.permutation(16, 3, 2);
            assertEquals(15, ids.size());
            for (int i = 0; i < 15; i++) assertEquals(String.format("test/%06d", perm[i]), ids.get(i));
        }
    }

    @Test
    void augmentedViewsAreFreshPerEpochAndReproducible(@TempDir Path tmp) throws Exception {
        try (OnlineTokenSource plain = open(tmp.resolve("a"), false); OnlineTokenSource aug = open(tmp.resolve("b"), true)) {
            float[] p = (float[]) epoch(plain, EpochPlan.sequential(16)).get(1);
            float[] e0 = (float[]) epoch(aug, new EpochPlan(16, false, 0, 0, false)).get(1);
            float[] e0again = (float[]) epoch(aug, new EpochPlan(16, false, 0, 0, false)).get(1);
            float[] e1 = (float[]) epoch(aug, new EpochPlan(16, false, 0, 1, false)).get(1);
            assertArrayEquals(e0, e0again, "same epoch, same views");
            assertFalse(java.util.Arrays.equals(p, e0), "augmented differs from plain");
            assertNotEquals(java.util.Arrays.hashCode(e0), java.util.Arrays.hashCode(e1), "a new epoch draws new views");
        }
    }
}
