package io.glimpse.cli.extract;

import io.glimpse.cli.BackboneDatasetOptions;
import io.glimpse.cli.CacheRootOption;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cli.CliInputException;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.DistributedEngine;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code glimpse extract}: run a frozen backbone over dataset splits once and fill the token cache. */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a frozen ONNX backbone over dataset splits and store their tokens in the cache.",
                "A request that matches a complete cache entry returns at once; a partial one is resumed."})
public final class ExtractCommand implements Callable<Integer> {
    @CommandLine.Mixin
    BackboneDatasetOptions configs = new BackboneDatasetOptions();

    @Option(names = "--split", paramLabel = "NAME", description = "Split to extract; repeat for several (default: train and test).")
    List<String> splits;

    @Option(names = "--layers", split = ",", paramLabel = "NAME", description = "Token outputs to store, comma-separated (default: the backbone's default layer).")
    List<String> layers;

    @Option(names = "--dtype", defaultValue = "float16", description = "Storage precision: float16, float32 or int8 (symmetric, one float32 scale per token; half the size of float16) (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N images of each split (0 = all); a subset is its own cache entry.")
    int limit;

    @Option(names = "--views", defaultValue = "1", description = "Augmented views per training image (view 0 = eval transform); test splits stay plain.")
    int views;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the augmented views (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--workers", defaultValue = "0", description = "Decode/preprocess threads (0 = automatic).")
    int workers;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch", defaultValue = "64", description = "Images per backbone call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--force", description = "Re-extract even when a complete entry exists.")
    boolean force;

    @Option(names = "--skip-bad", description = "Skip undecodable images (their ids go into the manifest) instead of stopping.")
    boolean skipBad;

    @Option(names = "--rows-per-shard", defaultValue = "0", description = "Rows per shard (0 = up to 1 GiB each); smaller resumes at finer steps.")
    int rowsPerShard;

    @Option(names = "--spark", paramLabel = "MASTER", description = {"Run on Apache Spark: local[N] on this machine's N cores, or a cluster's master URL.",
            "Same entry, same shards as without it; --rows-per-shard sets the size of its tasks (one per shard)."})
    String spark;

    @CommandLine.Mixin
    CacheRootOption cacheOption = new CacheRootOption();

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TokenDtype storage;
        try {
            storage = TokenDtype.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new CliInputException("--dtype: " + e.getMessage());
        }
        if (batch < 1) throw new CliInputException("--batch must be >= 1, got " + batch);
        if (limit < 0) throw new CliInputException("--limit must be >= 0, got " + limit);
        if (views < 1) throw new CliInputException("--views must be >= 1, got " + views);
        if (threads < 0 || workers < 0) throw new CliInputException("--threads and --workers must be >= 0");
        java.util.Set<String> noticed = new java.util.HashSet<>(); // each split opens the backbone; say things once
        BackboneOptions options = new BackboneOptions(threads, DeviceChoice.parse(device), line -> {
            if (noticed.add(line)) {
                err.println(line);
                err.flush();
            }
        });
        BackboneConfig bb = BackboneConfigLoader.load(configs.backbone());
        DatasetConfig ds = DatasetConfigLoader.load(configs.dataset());
        List<String> todo = splits == null || splits.isEmpty() ? List.of("train", "test") : splits;
        for (String s : todo) {
            if (!ds.splits().containsKey(s)) throw new CliInputException("--split " + s + ": dataset " + ds.name() + " has splits " + String.join(", ", ds.splits().keySet()));
        }
        CacheStore store = cacheOption.store();
        List<ExtractRequest> requests = todo.stream().map(s -> ExtractRequest.of(bb, ds, s, options).withLayers(layers).withDtype(storage)
                .withLimit(limit).withViews(views, seed).withBatch(batch, workers).withRowsPerShard(rowsPerShard).withForce(force)
                .withSkipBad(skipBad).withProgress(!noProgress)).toList();
        if (spark == null) {
            Extractor extractor = new Extractor(store);
            for (ExtractRequest req : requests) print(out, extractor.ensure(req));
            return 0;
        }
        DistributedEngine engine = DistributedEngine.named("spark").orElseThrow(() -> new CliInputException(
                "--spark: the spark module is not on the class path (bin/glimpse adds it for --spark once `mvn package` has built spark/target)"));
        try (DistributedEngine.Session session = engine.start(spark, store)) {
            for (ExtractRequest req : requests) print(out, session.ensure(req));
        }
        return 0;
    }

    private static void print(PrintWriter out, ExtractResult r) {
        out.println(summary(r));
        out.flush();
    }

    static String summary(ExtractResult r) {
        String how = r.reused() ? "reused" : r.resumedFromRow() > 0 ? "resumed from row " + r.resumedFromRow() : "extracted";
        String rate = r.reused() ? "" : String.format(Locale.ROOT, " | %.0f img/s", r.imagesPerSecond());
        String skipped = r.skippedIds().isEmpty() ? "" : " | " + r.skippedIds().size() + " skipped";
        return String.format(Locale.ROOT, "%s: key %s | %d rows | %s | %.1f s%s | %s | layers %s%s", r.split(), r.key().hex(), r.rows(),
                size(r.bytes()), r.seconds(), rate, how, String.join(",", r.description().layers()), skipped);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
