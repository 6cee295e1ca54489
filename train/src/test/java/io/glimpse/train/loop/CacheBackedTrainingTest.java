package io.glimpse.train.loop;

import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.testing.CachedCopy;
import io.glimpse.train.testing.SyntheticSource;
import io.glimpse.train.testing.TinyHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer on real cache entries (float16 storage), with the zero-copy limit / shots / validation views. */
class CacheBackedTrainingTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    private static final HeadFactory TINY = (spec, layout, classes, manager, seed) -> new TinyHead(layout.dim(), classes, manager);

    @Test
    void trainsFromCacheEntriesWithViews(@TempDir Path root) {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        CacheKey trainKey = CachedCopy.write(store, new SyntheticSource(500, LAYOUT, 5, 1.0, 1), "train", TokenDtype.FLOAT16);
        CacheKey testKey = CachedCopy.write(store, new SyntheticSource(150, LAYOUT, 5, 1.0, 2), "test", TokenDtype.FLOAT16);
        try (TokenCache train = store.openReader(trainKey); TokenCache test = store.openReader(testKey)) {
            RunProvenance prov = new RunProvenance("b", "d", trainKey.toString(), testKey.toString(), 2.0);
            Recipe recipe = new Recipe(OptimizerKind.LARS, 32, 3, 1, 0);
            HeadSpec head = new HeadSpec("tiny", ProbeOptions.DEFAULTS, "a", 40);
            ProbeTrainer trainer = new ProbeTrainer(TINY, TrainProgress.SILENT);

            RunResult full = trainer.train(new TrainRequest(recipe, List.of(head), 0, 0, 0, 0, root.resolve("runs"), prov), train, test).get(0);
            assertEquals(500, full.trainRows());
            assertEquals(150, full.testRows());
            assertTrue(full.top1Best() > 80, "top1 " + full.top1Best());

            RunResult limited = trainer.train(new TrainRequest(recipe, List.of(head), 300, 0.2, 0, 0, root.resolve("runs"), prov), train, test).get(0);
            assertEquals(240, limited.trainRows());
            assertNotNull(limited.valTop1Best());

            RunResult shots = trainer.train(new TrainRequest(recipe, List.of(head), 0, 0, 10, 0, root.resolve("runs"), prov), train, test).get(0);
            assertEquals(50, shots.trainRows());
        }
    }
}
