package io.glimpse.cli.eval;

import io.glimpse.cli.BackboneDatasetOptions;
import io.glimpse.cli.CacheRootOption;
import io.glimpse.cli.ReadModeOption;
import io.glimpse.cli.CommandCaches;
import io.glimpse.cli.RunsDirOption;
import io.glimpse.cache.CacheStore;
import io.glimpse.eval.knn.KnnCell;
import io.glimpse.eval.knn.KnnEvaluation;
import io.glimpse.eval.knn.KnnFeature;
import io.glimpse.eval.knn.KnnResult;
import io.glimpse.eval.knn.KnnRunWriter;
import io.glimpse.eval.knn.KnnSettings;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.train.run.RunCaches;
import io.glimpse.train.run.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code glimpse knn}: weighted k-NN on cached CLS or mean-patch vectors (docs/heads.md#knn). */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = {"Weighted k-NN on cached tokens: exact cosine search over the train split, the whole k x T grid "
                + "from one pass; writes runs/<time>-knn-.../result.json (the report's knn row).",
                "Without --run or cache keys, --backbone and --dataset name the caches."})
public final class KnnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", paramLabel = "DIR", description = "use the train/test caches of this trained run")
    Path run;

    @Option(names = "--train-cache", paramLabel = "KEY", description = "train cache entry (key or prefix)")
    String trainCache;

    @Option(names = "--test-cache", paramLabel = "KEY", description = "test cache entry (key or prefix)")
    String testCache;

    @CommandLine.Mixin
    BackboneDatasetOptions configs = new BackboneDatasetOptions();

    @Option(names = "--layer", description = "cached layer (default: the cache's default layer)")
    String layer;

    @Option(names = "--feature", description = "cls | mean (default: cls when the backbone has a CLS token, else mean)")
    String feature;

    @Option(names = "--k", split = ",", paramLabel = "K", description = "neighbour counts (default: 5,10,20,50,100,200)")
    int[] ks = KnnSettings.DEFAULT_KS;

    @Option(names = "--temperature", split = ",", paramLabel = "T", description = "vote temperatures (default: 0.07,0.1,0.2)")
    double[] temperatures = KnnSettings.DEFAULT_TEMPERATURES;

    @CommandLine.Mixin
    CacheRootOption cacheOption = new CacheRootOption();

    @CommandLine.Mixin
    ReadModeOption readOption = new ReadModeOption();

    @CommandLine.Mixin
    RunsDirOption runsOption = new RunsDirOption();

    @Option(names = "--quiet", description = "no progress bars")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KnnSettings probe = new KnnSettings("-", KnnFeature.CLS, ks, temperatures); // refuses bad k/T before any I/O
        CacheStore store = readOption.apply(cacheOption.store());
        boolean named = CommandCaches.named(trainCache, testCache);
        try (RunCaches caches = run != null ? RunCaches.of(store, RunDirectory.open(run).readResult())
                : named ? CommandCaches.open(store, trainCache, testCache)
                : CommandCaches.ensure(store, extractRequest(out), 0, "knn", out)) {
            CommandCaches.reportStreaming(caches, "knn", out);
            String useLayer = layer != null ? layer : caches.train().layers().get(0);
            KnnFeature useFeature = feature != null ? KnnFeature.parse(feature) : KnnFeature.defaultFor(caches.train().layout());
            KnnSettings settings = new KnnSettings(useLayer, useFeature, probe.ks(), probe.temperatures());
            KnnResult r = new KnnEvaluation(!quiet).run(caches.train(), caches.test(), settings);
            Path file = KnnRunWriter.write(runsOption.dir(), r, caches.provenance());
            print(out, r);
            out.printf("knn: wrote %s%n", file);
        }
        return 0;
    }

    private ExtractRequest extractRequest(PrintWriter out) {
        return ExtractRequest.of(BackboneConfigLoader.load(configs.backbone()), DatasetConfigLoader.load(configs.dataset()),
                "train", CommandCaches.backboneOptions(out)).withLayers(layer == null ? List.of() : List.of(layer)).withProgress(true);
    }

    private static void print(PrintWriter out, KnnResult r) {
        out.printf(Locale.ROOT, "knn: %s of %s, %d train x %d test, D=%d: features %.1f s, search + grid %.1f s%n",
                r.feature().label(), r.layer(), r.trainSize(), r.testSize(), r.dim(), r.featureSeconds(), r.searchSeconds());
        out.println("     k      T   top-1   top-5");
        for (KnnCell c : r.grid()) {
            out.printf(Locale.ROOT, "  %4d  %5.2f  %6.2f  %6.2f%s%n", c.k(), c.temperature(), c.top1(), c.top5(),
                    c.equals(r.best()) ? "  <- best" : "");
        }
    }
}
