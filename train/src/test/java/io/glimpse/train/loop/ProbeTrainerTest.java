package io.glimpse.train.loop;

import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.testing.SyntheticSource;
import io.glimpse.train.testing.TinyHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTrainerTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    private static final RunProvenance PROV = new RunProvenance("synthetic-backbone", "synthetic", "train-key", "test-key", 1.5);
    private static final HeadFactory TINY = (spec, layout, classes, manager, seed) -> new TinyHead(layout.dim(), classes, manager);

    private final SyntheticSource train = new SyntheticSource(600, LAYOUT, 4, 2.0, 1);
    private final SyntheticSource test = new SyntheticSource(200, LAYOUT, 4, 2.0, 2);

    private static Recipe recipe(int epochs, int seed) {
        return new Recipe(OptimizerKind.LARS, 64, epochs, 1, seed);
    }

    private static HeadSpec head(String layer, double blr) {
        return new HeadSpec("tiny", ProbeOptions.DEFAULTS, layer, blr);
    }

    private List<RunResult> run(Path runs, Recipe recipe, List<HeadSpec> heads, double val, int shots) {
        TrainRequest req = new TrainRequest(recipe, heads, 0, val, shots, 0, runs, PROV);
        return new ProbeTrainer(TINY, TrainProgress.SILENT).train(req, train, test);
    }

    @Test
    void processCpuTimeCountsWork() {
        double c0 = PassTimes.processCpuSeconds();
        long t0 = System.nanoTime();
        double x = 0;
        while (System.nanoTime() - t0 < 200_000_000L) x += Math.sqrt(x + 1);
        double spent = PassTimes.processCpuSeconds() - c0;
        assertTrue(spent > 0.02 && x > 0, "200 ms of work counted as " + spent + " s of CPU");
    }

    @Test
    void learnsAndWritesTheRunFolder(@TempDir Path runs) throws Exception {
        // LARS moves a tensor by about lr·0.001 of its norm per step, so these few steps need a large base lr
        RunResult r = run(runs, recipe(4, 0), List.of(head("a", 40)), 0, 0).get(0);
        assertTrue(r.top1Best() > 80, "separable synthetic data should be learnt, got " + r.top1Best());
        assertEquals(4, r.epochs());
        assertEquals(600 / 64 * 64, Math.round(r.samplesPerSecond() * r.trainSeconds() / 4), 64);
        // the JDK counts process CPU time in clock ticks (10 ms): these tiny epochs may all fall within ticks
        assertTrue(r.trainCpuSeconds() >= 0 && r.trainCpuSeconds() <= r.trainSeconds() * Runtime.getRuntime().availableProcessors() + 0.05,
                "process CPU time of training " + r.trainCpuSeconds() + " for " + r.trainSeconds() + " s");
        assertEquals(40.0 * 64 / 256, r.recipe().lr(), 1e-12);
        assertEquals("lars", r.recipe().optimizer());
        assertEquals(36, r.params());
        assertEquals("train-key", r.cacheKey());
        assertEquals(1.5, r.extractSeconds());
        assertNull(r.valTop1Best());
        Path dir = runs.resolve(r.runId());
        assertTrue(Files.exists(dir.resolve(RunDirectory.BEST_STATE)) && Files.exists(dir.resolve(RunDirectory.LAST_STATE)));
        List<String> csv = Files.readAllLines(dir.resolve(RunDirectory.EPOCHS));
        assertEquals(5, csv.size());
        assertEquals("epoch,lr,loss,top1,top5,val_top1,mean_per_class,seconds", csv.get(0));
        RunResult back = RunDirectory.open(dir).readResult();
        assertEquals(r, back);
        String json = Files.readString(dir.resolve(RunDirectory.RESULT));
        for (String field : List.of("\"probe\"", "\"cache_key\"", "\"flops_per_sample\"", "\"top1_best\"", "\"top5_last\"",
                "\"samples_per_second\"", "\"extract_seconds\"", "\"weight_decay\"", "\"best_epoch\"")) {
            assertTrue(json.contains(field), field + " missing in " + json);
        }
        assertFalse(json.contains("val_top1_best"));
    }

    @Test
    void theSameRequestNamesItsRunTheSameWhateverOrderTheHeadReportsOptionsIn(@TempDir Path runs) {
        java.util.Map<String, Object> queriesFirst = new java.util.LinkedHashMap<>();
        queriesFirst.put("queries", 8);
        queriesFirst.put("d_out", 1);
        java.util.Map<String, Object> dOutFirst = new java.util.LinkedHashMap<>();
        dOutFirst.put("d_out", 1);
        dOutFirst.put("queries", 8);
        List<String> names = new java.util.ArrayList<>();
        for (java.util.Map<String, Object> options : List.of(queriesFirst, dOutFirst)) {
            HeadFactory factory = (spec, layout, classes, manager, seed) -> new TinyHead(layout.dim(), classes, manager, options);
            TrainRequest req = new TrainRequest(recipe(1, 0), List.of(head("a", 0.1)), 0, 0, 0, 0, runs, PROV);
            String id = new ProbeTrainer(factory, TrainProgress.SILENT).train(req, train, test).get(0).runId();
            names.add(id.substring("yyyyMMdd-HHmmss".length()).replaceAll("-\\d+$", ""));
        }
        assertEquals("-tiny-dout1-queries8-a-blr0.1-s0", names.get(0));
        assertEquals(names.get(0), names.get(1));
    }

    @Test
    void sameSeedSameNumbersAndOtherSeedOtherNumbers(@TempDir Path runs) {
        RunResult a = run(runs, recipe(2, 3), List.of(head("a", 0.1)), 0, 0).get(0);
        RunResult b = run(runs, recipe(2, 3), List.of(head("a", 0.1)), 0, 0).get(0);
        RunResult c = run(runs, recipe(2, 4), List.of(head("a", 0.1)), 0, 0).get(0);
        assertEquals(csvNumbers(runs, a), csvNumbers(runs, b));
        assertEquals(a.top1Last(), b.top1Last());
        assertNotEquals(csvNumbers(runs, a), csvNumbers(runs, c));
    }

    @Test
    void aHeadTrainedBesideOthersLearnsExactlyAsAlone(@TempDir Path runs) {
        // Built first with the same seed, head 0 gets the same init; its gradients do not depend on the other heads.
        RunResult alone = run(runs, recipe(2, 0), List.of(head("a", 0.1)), 0, 0).get(0);
        List<RunResult> together = run(runs, recipe(2, 0), List.of(head("a", 0.1), head("b", 0.1), head("a", 0.2)), 0, 0);
        assertEquals(3, together.size());
        assertEquals(csvNumbers(runs, alone), csvNumbers(runs, together.get(0)));
        assertEquals(0.2 * 64 / 256, together.get(2).recipe().lr(), 1e-12);
        assertEquals("b", together.get(1).layer());
        assertEquals(3, together.get(0).headsInPass());
    }

    @Test
    void validationFractionSelectsOnHeldOutRows(@TempDir Path runs) {
        RunResult r = run(runs, recipe(3, 0), List.of(head("a", 0.1)), 0.25, 0).get(0);
        assertEquals(600 - 4 * Math.round(0.25 * 150), r.trainRows().longValue());
        assertNotNull(r.valTop1Best());
        assertNotNull(r.testTop1AtValBest());
        assertTrue(r.valBestEpoch() >= 1 && r.valBestEpoch() <= 3);
    }

    @Test
    void shotsTrainOnKPerClass(@TempDir Path runs) {
        RunResult r = run(runs, new Recipe(OptimizerKind.SGD, 8, 2, 0, 0), List.of(head("a", 0.1)), 0, 5).get(0);
        assertEquals(20, r.trainRows());
    }

    @Test
    void badInputsAreRefusedBeforeTraining(@TempDir Path runs) throws Exception {
        assertThrows(TrainInputException.class, () -> head("a", 0));
        assertThrows(TrainInputException.class, () -> head("a", -0.1));
        TrainInputException layer = assertThrows(TrainInputException.class,
                () -> run(runs, recipe(1, 0), List.of(head("hidden_state_9", 0.1)), 0, 0));
        assertTrue(layer.getMessage().startsWith("--layer hidden_state_9") && layer.getMessage().contains("a, b"), layer.getMessage());
        int[] labels = new int[200];
        labels[7] = 9;
        SyntheticSource badTest = new SyntheticSource(200, LAYOUT, 4, 2.0, 2, labels);
        TrainRequest req = new TrainRequest(recipe(1, 0), List.of(head("a", 0.1)), 0, 0, 0, 0, runs, PROV);
        TrainInputException classes = assertThrows(TrainInputException.class,
                () -> new ProbeTrainer(TINY, TrainProgress.SILENT).train(req, train, badTest));
        assertTrue(classes.getMessage().contains("class count 4"), classes.getMessage());
        assertThrows(TrainInputException.class, () -> run(runs, new Recipe(OptimizerKind.LARS, 4096, 1, 0, 0),
                List.of(head("a", 0.1)), 0, 0));
        assertThrows(TrainInputException.class, () -> new Recipe(OptimizerKind.LARS, 64, 2, -1, 0));
        try (var files = Files.list(runs)) {
            assertEquals(0, files.count(), "nothing written for refused runs");
        }
    }

    private static String csvNumbers(Path runs, RunResult r) {
        try {
            // drop the seconds column: wall time differs between identical runs
            return Files.readAllLines(runs.resolve(r.runId()).resolve(RunDirectory.EPOCHS)).stream()
                    .map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
