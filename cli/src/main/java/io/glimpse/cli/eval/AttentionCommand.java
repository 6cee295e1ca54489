package io.glimpse.cli.eval;

import io.glimpse.cli.BackboneDatasetOptions;
import io.glimpse.cli.CacheRootOption;
import io.glimpse.cli.ReadModeOption;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.eval.attention.AttentionFigures;
import io.glimpse.eval.attention.AttentionImage;
import io.glimpse.eval.attention.AttentionMapsJob;
import io.glimpse.eval.attention.AttentionRows;
import io.glimpse.eval.head.TrainedRun;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code glimpse attention}: a trained head's attention maps over test pictures (docs/heads.md#attention-maps). */
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

    @CommandLine.Mixin
    ReadModeOption readOption = new ReadModeOption();

    @Override
    public Integer call() {
        CacheStore store = readOption.apply(cacheOption.store());
        Path dir = out != null ? out : run.resolve("attention");
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
             TrainedRun trained = TrainedRun.open(run, store, manager)) {
            TokenCache test = trained.test();
            int[] rows = AttentionRows.choose(test, ids, images);
            List<AttentionImage> maps = AttentionMapsJob.compute(trained.head().head(), test, trained.layer(), rows, manager);
            DatasetPictures pictures = new DatasetPictures(configs.dataset(), BackboneConfigLoader.load(configs.backbone()).preprocessing(),
                    test.manifest().description().split(), test.manifest().description().datasetFingerprint());
            String title = trained.head().probe() + " " + trained.head().head().optionsUsed() + ", " + trained.layer()
                    + "; colour and opacity: 65th-99th percentile of each map";
            List<Path> files = AttentionFigures.write(maps, pictures, title, dir);
            spec.commandLine().getOut().printf("attention: %d image(s) x %d map(s) -> %s (grid: %s)%n",
                    maps.size(), maps.get(0).maps().length, dir, files.get(files.size() - 1).getFileName());
        }
        return 0;
    }
}
