package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.store.FreeSpace;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.config.Hashing;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.dataset.ImageDataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Resolves a request to a complete cache entry: returns an existing one at once (the key is computed from the
 * configs, the model file hash and the dataset fingerprint, without loading the backbone), resumes a partial one,
 * or extracts it. {@code --force} removes the entry first.
 */
public final class Extractor {
    private final CacheStore store;
    private final ToLongFunction<Path> freeSpace;

    public Extractor(CacheStore store) {
        this(store, FreeSpace::usable);
    }

    /** With {@code freeSpace} telling the usable bytes of the cache root's disk (a test can pretend a full one). */
    public Extractor(CacheStore store, ToLongFunction<Path> freeSpace) {
        this.store = store;
        this.freeSpace = freeSpace;
    }

    /** The complete entry for {@code request}, extracting (or resuming) it when missing. */
    public ExtractResult ensure(ExtractRequest request) {
        long t0 = System.nanoTime();
        ImageDataset dataset = DatasetConfigLoader.open(request.dataset(), request.split());
        String modelSha = Hashing.sha256(request.backbone().onnxFile());
        List<String> layers = !request.layers().isEmpty() ? request.layers() : request.backbone().defaultLayers();
        if (!layers.isEmpty() && !request.force()) {
            Optional<ExtractResult> hit = complete(describe(request, dataset, modelSha, layers), request, t0);
            if (hit.isPresent()) return hit.get();
        }
        try (OnnxBackbone backbone = OnnxBackbone.open(request.backbone(), request.layers(), request.backboneOptions())) {
            CacheDescription description = describe(request, dataset, backbone.sha256(), backbone.layers());
            if (!request.force()) {
                Optional<ExtractResult> hit = complete(description, request, t0);
                if (hit.isPresent()) return hit.get();
            }
            Optional<CacheEntryInfo> existing = store.find(description.key());
            if (existing.isPresent() && (request.force() || existing.get().status() == EntryStatus.BROKEN)) store.remove(description.key());
            ExtractResult result = extract(request, dataset, backbone, description, t0);
            EntryVectorsStep.build(store, description.key(), request.progress());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("extraction interrupted", e);
        }
    }

    /** Everything that changes the tokens, for the cache key. */
    public static CacheDescription describe(ExtractRequest request, ImageDataset dataset, String modelSha, List<String> layers) {
        int views = request.effectiveViews();
        SortedMap<String, String> augmentation = new TreeMap<>();
        if (views > 1) {
            augmentation.putAll(request.dataset().augment().describe());
            augmentation.put("seed", Long.toString(request.seed()));
            augmentation.put("view0", "eval");
        }
        int limit = request.limit() >= dataset.size() ? 0 : request.limit();
        return new CacheDescription(request.backbone().name(), modelSha, layers, request.backbone().preprocessing().describe(),
                dataset.name(), dataset.fingerprint(), request.split(), request.dtype(), views, augmentation, limit);
    }

    private Optional<ExtractResult> complete(CacheDescription d, ExtractRequest request, long t0) {
        Optional<CacheEntryInfo> info = store.find(d.key());
        if (info.isEmpty() || info.get().status() != EntryStatus.COMPLETE) return Optional.empty();
        Manifest m = info.get().manifest().orElseThrow();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return Optional.of(new ExtractResult(d.key(), d, m.layout(), request.split(), true, m.rows(), m.shardBytes(), seconds, 0,
                m.extractSeconds().orElse(0), 0, m.skippedIds()));
    }

    private ExtractResult extract(ExtractRequest request, ImageDataset dataset, OnnxBackbone backbone, CacheDescription d, long t0)
            throws InterruptedException {
        try (ExtractionStart at = ExtractionStart.open(store, d, dataset, backbone, request, freeSpace)) {
            EntryWriter writer = at.writer();
            long committed = at.committed();
            LinkedHashSet<String> skipped = at.skipped();
            long start = System.nanoTime();
            ExtractionRun run = new ExtractionRun(dataset, backbone, at.plan(), d.views(), request);
            long appended = run.run(writer, at.from(), skipped);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> stats = FinishedExtraction.stats(seconds, appended, committed, backbone, request, at.images(), skipped.size());
            stats.putAll(new TreeMap<>(run.timings()));
            Manifest m = writer.finish(stats, new ArrayList<>(skipped));
            return FinishedExtraction.result(d, at.layout(), request.split(), m, t0, appended, seconds, committed);
        }
    }
}
