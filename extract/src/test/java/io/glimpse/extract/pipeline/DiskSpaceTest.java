package io.glimpse.extract.pipeline;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An extraction whose rows still to write visibly do not fit on the cache root's disk is refused before the backbone
 * runs and before anything is created; a resumed one needs room only for the rows not yet committed. The disk is a
 * pretend one: the extractor asks an injected probe for the free bytes.
 */
class DiskSpaceTest {
    private static final int IMAGES = 24;

    /** {@value #IMAGES} PNGs in two classes; with {@code corrupt}, b/img-13 is garbage bytes. */
    private static Path folder(Path root, boolean corrupt) throws Exception {
        for (int i = 0; i < IMAGES; i++) TestData.writePng(root.resolve("train").resolve(i < 12 ? "a" : "b").resolve(String.format("img-%02d.png", i)), i % 16);
        if (corrupt) Files.write(root.resolve("train/b/img-13.png"), "this is not a png".getBytes());
        Path yaml = root.resolve("ds.yaml");
        Files.writeString(yaml, "name: disk\nformat: imagefolder\nsplits:\n  train: {root: train}\n");
        return yaml;
    }

    private static ExtractRequest request(Path yaml, TokenDtype dtype) {
        return ExtractRequest.of(BackboneConfigLoader.load(TestData.backboneYaml().toString()), DatasetConfigLoader.load(yaml.toString()),
                "train", new BackboneOptions(2, DeviceChoice.CPU, null)).withDtype(dtype).withBatch(4, 2).withRowsPerShard(4);
    }

    @Test
    void aFullDiskIsRefusedInOneLineNamingTheRootAndTheBytesBeforeAnythingIsCreated(@TempDir Path tmp) throws Exception {
        Path yaml = folder(tmp, false);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        Set<Path> before = tree(store.root());
        List<Path> asked = new ArrayList<>();
        ToLongFunction<Path> plenty = p -> {
            asked.add(p);
            return Long.MAX_VALUE;
        };
        // 3 MiB is less than the entry's fixed overhead alone, whatever the backbone's tokens
        BadInputException e = assertThrows(BadInputException.class,
                () -> new Extractor(store, p -> 3L << 20).ensure(request(yaml, TokenDtype.FLOAT32)));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("not enough disk space for cache entry ") && m.contains("(train, " + IMAGES + " rows of "), m);
        assertTrue(m.contains("needs about ") && m.contains("3.00 MiB free on " + store.root()), m);
        assertEquals(before, tree(store.root()), "nothing created");
        assertEquals(List.of(), store.list());

        ExtractResult r = new Extractor(store, plenty).ensure(request(yaml, TokenDtype.FLOAT32));
        assertEquals(List.of(store.root()), asked, "the probe is asked once, about the cache root");
        assertEquals(IMAGES, r.rows());
        CacheEntryInfo info = store.list().get(0);
        Manifest manifest = info.manifest().orElseThrow();
        long estimate = EntrySpace.bytes(IMAGES, manifest.layout(), manifest.description().layers().size(), TokenDtype.FLOAT32.bytes());
        assertTrue(info.bytesOnDisk() <= estimate, "the estimate is not below what was written: " + info.bytesOnDisk() + " > " + estimate);
    }

    @Test
    void theEstimateGrowsWithRowsLayersAndDtype() {
        TokenLayout layout = new TokenLayout(197, 768, 1, 14, 14);
        long perLayer = 197 * 768 * 2 + 2 * 768 * 4; // float16 tokens, float32 CLS and patch-mean vectors
        assertEquals(1000L * (perLayer + EntrySpace.ROW_OVERHEAD) + EntrySpace.ENTRY_OVERHEAD, EntrySpace.bytes(1000, layout, 1, 2));
        assertEquals(1000L * (2 * perLayer + EntrySpace.ROW_OVERHEAD) + EntrySpace.ENTRY_OVERHEAD, EntrySpace.bytes(1000, layout, 2, 2));
        assertTrue(EntrySpace.bytes(1000, layout, 1, 4) > EntrySpace.bytes(1000, layout, 1, 2));
        assertEquals(0, EntrySpace.bytes(0, layout, 3, 4), "a complete entry needs nothing");
    }

    @Test
    void aResumedExtractionNeedsRoomOnlyForTheRowsNotYetCommitted(@TempDir Path tmp) throws Exception {
        Path yaml = folder(tmp, true);
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        assertThrows(ExtractInputException.class, () -> new Extractor(store).ensure(request(yaml, TokenDtype.FLOAT32)));
        CacheEntryInfo partial = store.list().get(0);
        assertEquals(EntryStatus.PARTIAL, partial.status());
        Manifest m = partial.manifest().orElseThrow();
        int layers = m.description().layers().size();
        long committed = m.rows();
        assertTrue(committed > 0);

        // room for the rows still missing but not for all of them: the fresh run is refused, the resumed one is not
        long free = EntrySpace.bytes(IMAGES, m.layout(), layers, 4) - 1;
        assertTrue(EntrySpace.bytes(IMAGES - committed, m.layout(), layers, 4) <= free);
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        CacheStore empty = CacheStore.open(other);
        assertThrows(BadInputException.class, () -> new Extractor(empty, p -> free).ensure(request(yaml, TokenDtype.FLOAT32).withSkipBad(true)));
        ExtractResult r = new Extractor(store, p -> free).ensure(request(yaml, TokenDtype.FLOAT32).withSkipBad(true));
        assertEquals(committed, r.resumedFromRow());
        assertEquals(IMAGES - 1, r.rows());
        assertFalse(r.reused());
    }

    private static Set<Path> tree(Path root) throws IOException {
        if (!Files.exists(root)) return Set.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.collect(Collectors.toSet());
        }
    }
}
