package io.glimpse.cli.eval;

import io.glimpse.cli.BackboneDatasetOptions;
import io.glimpse.cli.CacheRootOption;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cli.CliInputException;
import io.glimpse.eval.attention.AttentionFigures;
import io.glimpse.eval.attention.AttentionImage;
import io.glimpse.eval.attention.AttentionMapsJob;
import io.glimpse.eval.head.TrainedHead;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code glimpse attention}: a trained head's attention maps over test pictures (SPEC.md section 6). */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Draw a trained head's attention maps: per test image one PNG with an overlay per query "
                + "(bilinear upsampling to the picture), plus one grid PNG.",
                "The pictures are read from --dataset and go through the --backbone config's evaluation transform."})
public final class AttentionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run folder (runs/<id>) of a head with attention")
    Path run;

    @Option(names = "--images", defaultValue = "8", description = "number of test images, one per class first (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--ids", split = ",", paramLabel = "ID", description = "these test sample ids instead (e.g. test/000042)")
    List<String> ids;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: <run>/attention)")
    Path out;

    @CommandLine.Mixin
    BackboneDatasetOptions configs = new BackboneDatasetOptions();

    @CommandLine.Mixin
    CacheRootOption cacheOption = new CacheRootOption();

    @Override
    public Integer call() {
        if (images < 1) throw new CliInputException("--images must be >= 1, got " + images);
        CacheStore store = cacheOption.store();
        Path dir = out != null ? out : run.resolve("attention");
        try (EvalCaches caches = EvalCaches.fromRun(store, run);
             NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            TokenCache test = caches.test();
            int classes = Math.max(caches.train().numClasses(), test.numClasses());
            try (TrainedHead head = TrainedHead.load(run, caches.train().layout(), classes, manager)) {
                int[] rows = ids != null && !ids.isEmpty() ? AttentionMapsJob.rowsOf(test, ids) : onePerClassFirst(test, images);
                String layer = head.layer() != null ? head.layer() : test.layers().get(0);
                List<AttentionImage> maps = AttentionMapsJob.compute(head.head(), test, layer, rows, manager);
                DatasetPictures pictures = new DatasetPictures(configs.dataset(), BackboneConfigLoader.load(configs.backbone()).preprocessing(),
                        test.manifest().description().split(), test.manifest().description().datasetFingerprint());
                String title = head.probe() + " " + head.head().optionsUsed() + ", " + layer
                        + "; colour and opacity: 65th-99th percentile of each map";
                List<Path> files = AttentionFigures.write(maps, pictures, title, dir);
                spec.commandLine().getOut().printf("attention: %d image(s) x %d map(s) -> %s (grid: %s)%n",
                        maps.size(), maps.get(0).maps().length, dir, files.get(files.size() - 1).getFileName());
            }
        }
        return 0;
    }

    /** The first row of each class, then the following rows, up to n: a varied grid without asking for ids. */
    private static int[] onePerClassFirst(TokenCache cache, int n) {
        n = Math.min(n, cache.size());
        List<Integer> picked = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int r = 0; r < cache.size() && picked.size() < n; r++) {
            if (seen.add(cache.label(r))) picked.add(r);
        }
        for (int r = 0; r < cache.size() && picked.size() < n; r++) {
            if (!picked.contains(r)) picked.add(r);
        }
        return picked.stream().sorted().mapToInt(Integer::intValue).toArray();
    }
}
