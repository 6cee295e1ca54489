package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadImagesAndViewsTest {
    /** 24 PNGs in two classes; a.../img-13 is replaced by garbage bytes. */
    private static Path folderWithCorruptImage(Path root) throws Exception {
        for (int i = 0; i < 24; i++) TestData.writePng(root.resolve("train").resolve(i < 12 ? "a" : "b").resolve(String.format("img-%02d.png", i)), i % 16);
        Files.write(root.resolve("train/b/img-13.png"), "this is not a png".getBytes());
        Path yaml = root.resolve("ds.yaml");
        Files.writeString(yaml, "name: corrupt\nformat: imagefolder\nsplits:\n  train: {root: train}\n");
        return yaml;
    }

    private static ExtractRequest request(Path yaml, String split) {
        return ExtractRequest.of(BackboneConfigLoader.load(TestData.backboneYaml().toString()), DatasetConfigLoader.load(yaml.toString()),
                split, new BackboneOptions(2, DeviceChoice.CPU, null)).withDtype(TokenDtype.FLOAT32).withBatch(4, 2).withRowsPerShard(4);
    }

    @Test
    void badImageStopsWithPathAndReasonKeepingCommittedShards(@TempDir Path tmp) throws Exception {
        Path yaml = folderWithCorruptImage(tmp);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> new Extractor(store).ensure(request(yaml, "train")));
        assertTrue(e.getMessage().contains("img-13.png") && e.getMessage().contains("cannot decode"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        var entries = store.list();
        assertEquals(1, entries.size());
        assertEquals(EntryStatus.PARTIAL, entries.get(0).status());
        long committed = entries.get(0).manifest().orElseThrow().rows();
        assertTrue(committed >= 8 && committed <= 13, "shards before the bad image are kept: " + committed);

        // --skip-bad resumes the same entry and records the skipped id
        ExtractResult r = new Extractor(store).ensure(request(yaml, "train").withSkipBad(true));
        assertEquals(23, r.rows());
        assertEquals(List.of("b/img-13.png"), r.skippedIds());
        assertEquals(committed, r.resumedFromRow());
        try (TokenCache c = store.openReader(r.key())) {
            assertEquals(List.of("b/img-13.png"), c.manifest().skippedIds());
            assertTrue(c.row("b/img-13.png").isEmpty());
            assertEquals("b/img-14.png", c.id(13));
        }
    }

    @Test
    void skipBadFromScratchThenResumeRecoversEarlierSkips(@TempDir Path tmp) throws Exception {
        Path yaml = folderWithCorruptImage(tmp);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult fresh = new Extractor(store).ensure(request(yaml, "train").withSkipBad(true));
        assertEquals(List.of("b/img-13.png"), fresh.skippedIds());
        // resumption past the bad image: find it again by decoding, without the backbone
        java.util.LinkedHashSet<String> skipped = new java.util.LinkedHashSet<>();
        var ds = DatasetConfigLoader.open(DatasetConfigLoader.load(yaml.toString()), "train");
        // shards hold plan rows 0-3, 4-7, 8-11, 12-15 less the bad one (3 rows), 16-19, 20-23
        try (TokenCache c = store.openReader(fresh.key())) {
            assertEquals(List.of(4L, 4L, 4L, 3L, 4L, 4L), c.manifest().shards().stream().map(sh -> (long) sh.rows()).toList());
        }
        int from = ExtractionRun.resumeRow(ds, RowPlan.extraction(24, 1, 0), 4, 15, 4, true, 1, skipped);
        assertEquals(16, from);
        assertEquals(List.of("b/img-13.png"), List.copyOf(skipped));
        // committed rows that the images no longer explain: the dataset changed under the entry
        ExtractInputException e = assertThrows(ExtractInputException.class,
                () -> ExtractionRun.resumeRow(ds, RowPlan.extraction(24, 1, 0), 4, 16, 4, true, 1, new java.util.LinkedHashSet<>()));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
    }

    private static float[] tokens(CacheStore store, ExtractResult r, int fromRow, int rows) {
        try (TokenCache c = store.openReader(r.key())) {
            int[] idx = new int[rows];
            for (int i = 0; i < rows; i++) idx[i] = fromRow + i;
            FloatBuffer out = FloatBuffer.allocate(rows * c.layout().rowValues());
            c.gather(idx, rows, c.layers().get(0), out);
            return out.array();
        }
    }

    @Test
    void augmentedViewsAreSeededAndViewZeroIsTheEvalTransform(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 1);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        Extractor ex = new Extractor(store);
        ExtractResult plain = ex.ensure(request(yaml, "train"));
        ExtractResult views = ex.ensure(request(yaml, "train").withViews(3, 5));
        assertNotEquals(plain.key(), views.key());
        assertEquals(48, views.rows());
        assertEquals(3, views.description().views());
        assertEquals("5", views.description().augmentation().get("seed"));
        int v = plain.layout().rowValues();
        try (TokenCache c = store.openReader(views.key())) {
            assertEquals(16, c.size());
            assertEquals("train/000002#v1", c.id(7));
        }
        float[] p = tokens(store, plain, 2, 1), v0 = tokens(store, views, 6, 1), v1 = tokens(store, views, 7, 1), v2 = tokens(store, views, 8, 1);
        assertArrayEquals(p, v0, "view 0 is the plain eval transform");
        assertFalse(java.util.Arrays.equals(v0, v1));
        assertFalse(java.util.Arrays.equals(v1, v2));
        // same seed -> the same views on a fresh extraction; another seed -> another entry with other views
        ExtractResult again = ex.ensure(request(yaml, "train").withViews(3, 5).withForce(true));
        assertArrayEquals(tokens(store, views, 0, 48), tokens(store, again, 0, 48));
        ExtractResult other = ex.ensure(request(yaml, "train").withViews(3, 6));
        assertNotEquals(views.key(), other.key());
        assertFalse(java.util.Arrays.equals(v1, tokens(store, other, 7, 1)));
        assertEquals(v, plain.layout().rowValues());
        // the test split ignores --views
        ExtractResult test = ex.ensure(request(yaml, "test").withViews(3, 5));
        assertEquals(16, test.rows());
        assertEquals(1, test.description().views());
    }

    @Test
    void reuseIsFastAndForceReExtracts(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), 1);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        ExtractResult first = new Extractor(store).ensure(request(yaml, "test"));
        ExtractResult hit = new Extractor(store).ensure(request(yaml, "test"));
        assertTrue(hit.reused());
        assertTrue(hit.seconds() < 3, hit.seconds() + " s");
        assertEquals(first.key(), hit.key());
        assertEquals(first.rows(), hit.rows());
        ExtractResult forced = new Extractor(store).ensure(request(yaml, "test").withForce(true));
        assertFalse(forced.reused());
        assertEquals(first.key(), forced.key());
        // a limit at or above the split size is the full split: the same entry
        assertEquals(first.key(), new Extractor(store).ensure(request(yaml, "test").withLimit(999)).key());
    }
}
