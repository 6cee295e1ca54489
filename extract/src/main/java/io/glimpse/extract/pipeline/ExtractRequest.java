package io.glimpse.extract.pipeline;

import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.dataset.DatasetConfig;

import java.util.List;

/**
 * One split to extract (or find in the cache).
 *
 * @param layers       token layers to store (empty = the backbone's default)
 * @param limit        first N images only (0 = all); a subset is its own cache entry
 * @param views        augmented views per training image (1 = plain eval transform); other splits are always plain
 * @param seed         seed of the augmented views
 * @param batchSize    images per backbone call
 * @param workers      decode/preprocess threads (0 = automatic)
 * @param rowsPerShard rows per committed shard (0 = up to 1 GiB); small values make resumption finer-grained
 * @param force        re-extract even when a complete entry exists
 * @param skipBad      skip undecodable images (recorded in the manifest) instead of stopping
 * @param progress     show a progress bar on stderr
 */
public record ExtractRequest(BackboneConfig backbone, DatasetConfig dataset, String split, List<String> layers, TokenDtype dtype,
                             int limit, int views, long seed, BackboneOptions backboneOptions, int batchSize, int workers,
                             int rowsPerShard, boolean force, boolean skipBad, boolean progress) {
    public static final String TRAIN_SPLIT = "train";

    public ExtractRequest {
        layers = layers == null ? List.of() : List.copyOf(layers);
        if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        if (views < 1) throw new IllegalArgumentException("--views must be >= 1, got " + views);
        if (batchSize < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
        if (workers < 0) throw new IllegalArgumentException("--workers must be >= 0, got " + workers);
        if (rowsPerShard < 0) throw new IllegalArgumentException("rows per shard must be >= 0, got " + rowsPerShard);
    }

    /** float16 storage, all images, one plain view, batch 64, CPU/auto defaults from {@code options}. */
    public static ExtractRequest of(BackboneConfig backbone, DatasetConfig dataset, String split, BackboneOptions options) {
        return new ExtractRequest(backbone, dataset, split, List.of(), TokenDtype.FLOAT16, 0, 1, 0L, options, 64, 0, 0, false, false, false);
    }

    /** Views actually stored: augmentation applies to the training split only. */
    public int effectiveViews() {
        return TRAIN_SPLIT.equals(split) ? views : 1;
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : defaultWorkers();
    }

    /** Decode/preprocess threads: half the cores, at most 8; the backbone uses the rest on CPU (on a GPU, decoding is the work left to the CPU). */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }

    public ExtractRequest withSplit(String s) {
        return new ExtractRequest(backbone, dataset, s, layers, dtype, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withLayers(List<String> l) {
        return new ExtractRequest(backbone, dataset, split, l, dtype, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withDtype(TokenDtype d) {
        return new ExtractRequest(backbone, dataset, split, layers, d, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withLimit(int n) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, n, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withViews(int k, long viewSeed) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, k, viewSeed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withBatch(int b, int w) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, views, seed, backboneOptions, b, w, rowsPerShard, force, skipBad, progress);
    }

    public ExtractRequest withRowsPerShard(int rows) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, views, seed, backboneOptions, batchSize, workers, rows, force, skipBad, progress);
    }

    public ExtractRequest withForce(boolean f) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, f, skipBad, progress);
    }

    public ExtractRequest withSkipBad(boolean s) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, s, progress);
    }

    public ExtractRequest withProgress(boolean p) {
        return new ExtractRequest(backbone, dataset, split, layers, dtype, limit, views, seed, backboneOptions, batchSize, workers, rowsPerShard, force, skipBad, p);
    }
}
