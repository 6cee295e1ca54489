package io.glimpse.extract.online;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * K-shot and validation rows chosen for the online source are the ones chosen for a cache of the same split, and
 * the online source computes tokens for those images only: held out plain, trained on with fresh augmentations.
 */
class OnlineSelectionTest {
    private static final String LAYER = "last_hidden_state";

    private record Epoch(List<String> ids, float[] tokens) {
    }

    private static Epoch epoch(TokenSource src, EpochPlan plan) {
        List<String> ids = new ArrayList<>();
        float[] all = new float[src.size() * src.layout().rowValues()];
        int at = 0;
        for (Iterator<TokenBatch> it = src.batches(plan); it.hasNext(); ) {
            TokenBatch b = it.next();
            FloatBuffer t = b.tokens(LAYER).duplicate();
            int n = b.size() * src.layout().rowValues();
            t.get(all, at, n);
            at += n;
            ids.addAll(List.of(b.ids()));
        }
        return new Epoch(ids, Arrays.copyOf(all, at));
    }

    @Test
    void onlineAndCachedSourcesSelectTheSameImagesAndOnlyThoseRunTheBackbone(@TempDir Path tmp) throws Exception {
        BackboneConfig backbone = BackboneConfigLoader.load(TestData.backboneYaml().toString());
        // 64 training images: the fixture's 16 four times, so classes hold 4 to 16 images
        DatasetConfig dataset = DatasetConfigLoader.load(TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 4).toString());
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult extracted = new Extractor(store).ensure(ExtractRequest.of(backbone, dataset, "train",
                new BackboneOptions(2, DeviceChoice.CPU, null)).withLayers(List.of(LAYER)).withDtype(TokenDtype.FLOAT32));
        RowSelection selection = new RowSelection(0, 3, 0.34, 5);
        try (TokenCache cache = store.openReader(extracted.key());
             OnlineTokenSource online = OnlineTokenSource.open(backbone, dataset, "train", List.of(LAYER), true, 7, 0, BackboneOptions.cpu())) {
            assertArrayEquals(cache.labels(), online.labels());
            RowSelection.Rows cached = selection.choose(cache.labels());
            RowSelection.Rows fromOnline = selection.choose(online.labels());
            assertArrayEquals(cached.train(), fromOnline.train());
            assertArrayEquals(cached.validation(), fromOnline.validation());
            assertEquals(8 * 2, cached.train().length, "8 classes, 3 shots each, 1 of them held out");

            EpochPlan sequential = EpochPlan.sequential(5);
            try (OnlineTokenSource train = online.subset(fromOnline.train()); OnlineTokenSource held = online.heldOut(fromOnline.validation())) {
                Epoch cachedHeld = epoch(cache.heldOut(cached.validation()), sequential);
                Epoch onlineHeld = epoch(held, sequential);
                assertEquals(cachedHeld.ids(), onlineHeld.ids());
                double max = 0;
                for (int i = 0; i < cachedHeld.tokens().length; i++) max = Math.max(max, Math.abs(cachedHeld.tokens()[i] - onlineHeld.tokens()[i]));
                assertTrue(max <= 1e-4, "held-out rows are the plain view: max abs diff to the cache " + max);

                Epoch cachedTrain = epoch(cache.subset(cached.train()), sequential);
                Epoch e0 = epoch(train, new EpochPlan(5, false, 0, 0, false));
                Epoch e1 = epoch(train, new EpochPlan(5, false, 0, 1, false));
                assertEquals(cachedTrain.ids(), e0.ids(), "the backbone ran on the selected images only");
                assertFalse(Arrays.equals(cachedTrain.tokens(), e0.tokens()), "training rows are augmented");
                assertFalse(Arrays.equals(e0.tokens(), e1.tokens()), "a new epoch draws new augmentations");

                Epoch shuffled = epoch(train, new EpochPlan(4, true, 3, 2, true));
                Epoch cachedShuffled = epoch(cache.subset(cached.train()), new EpochPlan(4, true, 3, 2, true));
                assertEquals(cachedShuffled.ids(), shuffled.ids(), "a shuffled epoch visits the subset in the cache's order");
            }
            // the subsets shared the backbone without closing it
            assertEquals(online.size(), epoch(online, EpochPlan.sequential(16)).ids().size());
        }
    }
}
