package io.glimpse.train.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.CacheVectorView;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.loop.HeadFactory;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.loop.TrainProgress;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.testing.CachedCopy;
import io.glimpse.train.testing.SyntheticSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pass whose heads all read one stored vector trains on the vector sidecar, with the result of the full tokens. */
class VectorPassTest {
    private static final TokenLayout LAYOUT = new TokenLayout(10, 16, 1, 3, 3);
    private final ProbeRegistry registry = new ProbeRegistry();

    private HeadSpec head(String probe) {
        return new HeadSpec(probe, ProbeOptions.DEFAULTS, "a", 40);
    }

    @Test
    void onlyPassesReadingOneVectorUseTheSidecar() {
        assertEquals(Optional.of(VectorKind.CLS), VectorPass.shared(List.of(head("linear"), new HeadSpec("linear", ProbeOptions.DEFAULTS, "b", 10)), registry));
        assertEquals(Optional.of(VectorKind.PATCH_MEAN), VectorPass.shared(List.of(head("linear-gap")), registry));
        assertEquals(Optional.empty(), VectorPass.shared(List.of(head("linear"), head("linear-gap")), registry));
        assertEquals(Optional.empty(), VectorPass.shared(List.of(head("linear"), head("efficient")), registry));
        assertEquals(Optional.empty(), VectorPass.shared(List.of(head("simpool")), registry));
        assertEquals(Optional.empty(), VectorPass.shared(List.of(head("no-such-probe")), registry));
    }

    @Test
    void vectorPassTrainsTheSameHeadAsTheFullTokens(@TempDir Path root) {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        CacheKey trainKey = CachedCopy.write(store, new SyntheticSource(480, LAYOUT, 5, 1.5, 1), "train", TokenDtype.FLOAT16);
        CacheKey testKey = CachedCopy.write(store, new SyntheticSource(160, LAYOUT, 5, 1.5, 2), "test", TokenDtype.FLOAT16);
        HeadFactory factory = (s, layout, classes, manager, seed) -> registry.create(s.probe(), s.options(), layout, classes, manager, seed);
        ProbeTrainer trainer = new ProbeTrainer(factory, TrainProgress.SILENT);
        Recipe recipe = new Recipe(OptimizerKind.LARS, 32, 4, 1, 7);
        RunProvenance prov = new RunProvenance("b", "d", trainKey.toString(), testKey.toString(), 0.0);
        try (TokenCache train = store.openReader(trainKey); TokenCache test = store.openReader(testKey)) {
            for (String probe : List.of("linear", "linear-gap")) {
                for (double valFraction : new double[] {0, 0.25}) {
                    List<HeadSpec> heads = List.of(head(probe), new HeadSpec(probe, ProbeOptions.DEFAULTS, "b", 10));
                    Path fullRuns = root.resolve(probe + "-" + valFraction + "-full");
                    Path vecRuns = root.resolve(probe + "-" + valFraction + "-vectors");
                    List<RunResult> full = trainer.train(new TrainRequest(recipe, heads, 0, valFraction, 0, 0, fullRuns, prov), train, test);
                    VectorPass pass = VectorPass.choose(heads, registry, train, test, VectorBuildProgress.SILENT);
                    assertInstanceOf(CacheVectorView.class, pass.train());
                    assertEquals(1, pass.train().layout().tokens());
                    List<RunResult> vec = trainer.train(new TrainRequest(recipe, heads, 0, valFraction, 0, 0, vecRuns, prov), pass.train(), pass.test());
                    for (int i = 0; i < heads.size(); i++) {
                        RunResult a = full.get(i);
                        RunResult b = vec.get(i);
                        String what = probe + " layer " + heads.get(i).layer() + " val " + valFraction;
                        assertTrue(a.top1Best() > 40, what + ": learns (top1 " + a.top1Best() + ")");
                        assertEquals(a.top1Best(), b.top1Best(), what);
                        assertEquals(a.top1Last(), b.top1Last(), what);
                        assertEquals(a.bestEpoch(), b.bestEpoch(), what);
                        assertEquals(a.trainRows(), b.trainRows(), what);
                        assertEquals(a.params(), b.params(), what);
                        double diff = maxParameterDiff(fullRuns.resolve(a.runId()), vecRuns.resolve(b.runId()));
                        System.out.printf("%s: top1 best %.2f = %.2f, max |param diff| %.3g%n", what, a.top1Best(), b.top1Best(), diff);
                        assertTrue(diff < 1e-5, what + ": parameters differ by " + diff);
                    }
                }
            }
        }
    }

    @Test
    void tokenPassesAndOtherSourcesKeepTheirSources(@TempDir Path root) {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        CacheKey key = CachedCopy.write(store, new SyntheticSource(40, LAYOUT, 3, 1.0, 1), "train", TokenDtype.FLOAT16);
        try (TokenCache cache = store.openReader(key); TokenSource memory = new SyntheticSource(40, LAYOUT, 3, 1.0, 1)) {
            VectorPass mixed = VectorPass.choose(List.of(head("linear"), head("linear-gap")), registry, cache, cache, VectorBuildProgress.SILENT);
            assertSame(cache, mixed.train());
            assertEquals(Optional.empty(), mixed.kind());
            VectorPass inMemory = VectorPass.choose(List.of(head("linear")), registry, memory, cache, VectorBuildProgress.SILENT);
            assertSame(memory, inMemory.train());
        }
    }

    private static double maxParameterDiff(Path a, Path b) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
             NDList x = RunDirectory.open(a).readBestState(m); NDList y = RunDirectory.open(b).readBestState(m)) {
            assertEquals(x.size(), y.size());
            double worst = 0;
            for (int i = 0; i < x.size(); i++) {
                NDArray d = x.get(i).sub(y.get(i)).abs();
                if (d.size() > 0) worst = Math.max(worst, d.max().getFloat());
            }
            return worst;
        }
    }
}
