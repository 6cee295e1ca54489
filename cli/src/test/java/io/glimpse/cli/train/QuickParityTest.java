package io.glimpse.cli.train;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.Extractor;
import io.glimpse.train.config.HeadPlanner;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.loop.TrainProgress;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI-sized version of {@code make parity}: the real fixture backbone's hidden_state_4 tokens of the first
 * 5,000 Fashion-MNIST training and 2,000 test images, linear and efficient (M=32) trained together for 5 epochs
 * (LARS, batch 256, blr 1.0, 1 warmup epoch). Measured: linear 58.7 %, efficient 67.3 % (chance is 10 %). The
 * bounds fail for a head that does not learn, for an EP whose attention does not help over the CLS token, and for
 * parameter counts that drift from the formulas of docs/heads.md#parameter-counts.
 */
class QuickParityTest {

    @Test
    void linearAndEfficientLearnTheFixtureTokens(@TempDir Path dir) {
        CacheStore store = CacheStore.open(dir.resolve("cache"));
        Extractor extractor = new Extractor(store);
        ExtractRequest base = ExtractRequest.of(BackboneConfigLoader.load(RepoPaths.fixtureBackbone()),
                DatasetConfigLoader.load(RepoPaths.fashionMnist()), "train", BackboneOptions.cpu());
        var trainEntry = extractor.ensure(base.withLimit(5000));
        var testEntry = extractor.ensure(base.withSplit("test").withLimit(2000));
        ProbeRegistry registry = new ProbeRegistry();
        try (TokenCache train = store.openReader(trainEntry.key()); TokenCache test = store.openReader(testEntry.key())) {
            TrainRequest request = new TrainRequest(new Recipe(OptimizerKind.LARS, 256, 5, 1, 0),
                    HeadPlanner.expand(List.of("linear", "efficient"), List.of("hidden_state_4"), List.of(1.0), List.of(0.0), List.of(32), 1, 0,
                            registry),
                    0, 0, 0, 10, dir.resolve("runs"), new RunProvenance("fmnist-mae-vit", "fashion-mnist",
                    trainEntry.key().hex(), testEntry.key().hex(), trainEntry.extractSeconds()));
            List<RunResult> results = new ProbeTrainer((s, layout, classes, m, seed) ->
                    registry.create(s.probe(), s.options(), layout, classes, m, seed), TrainProgress.SILENT).train(request, train, test);
            RunResult linear = results.get(0);
            RunResult efficient = results.get(1);
            assertEquals(1_290, linear.params());
            assertEquals(21_770, efficient.params());
            assertEquals(5_000, linear.trainRows());
            assertEquals(2_000, linear.testRows());
            assertTrue(linear.top1Last() > 45, "linear top-1 " + linear.top1Last());
            assertTrue(efficient.top1Last() > 58, "efficient top-1 " + efficient.top1Last());
            assertTrue(efficient.top1Last() - linear.top1Last() > 3,
                    "EP's attention should beat the CLS token: " + efficient.top1Last() + " vs " + linear.top1Last());
        }
    }
}
