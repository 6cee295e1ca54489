package io.glimpse.train.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.PassDirectory;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.testing.SyntheticSource;
import io.glimpse.train.testing.TinyHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pass stopped by an exception (at the end of an epoch before its checkpoint, and in the middle of an epoch) and
 * resumed gives the numbers and head arrays of a pass that was never stopped; finished passes are not retrained,
 * {@link PassStart#FRESH} retrains, and a resume with other recipe options is refused. The pass trains two tiny
 * heads and an attentive one (efficient probing, M=4), whose query gradients must come out the same after a resume
 * too. (Killed processes: cli's TrainResumeAfterKillTest.)
 */
class PassResumeTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    private static final RunProvenance PROV = new RunProvenance("synthetic-backbone", "synthetic", "train-key", "test-key", 1.5);
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final HeadFactory HEADS = (spec, layout, classes, manager, seed) -> spec.probe().equals("tiny")
            ? new TinyHead(layout.dim(), classes, manager)
            : REGISTRY.create(spec.probe(), spec.options(), layout, classes, manager, seed);
    private static final int HEAD_COUNT = 3;
    /** What may differ between an interrupted and an uninterrupted pass: where and when, and how long it took. */
    static final Set<String> NOT_COMPARED = Set.of("run_id", "created", "train_seconds", "train_cpu_seconds", "eval_seconds",
            "samples_per_second");

    private final SyntheticSource train = new SyntheticSource(600, LAYOUT, 4, 2.0, 1);
    private final SyntheticSource test = new SyntheticSource(200, LAYOUT, 4, 2.0, 2);

    /** Thrown by {@link Stopper} where a kill would land. */
    private static final class Stopped extends RuntimeException {
    }

    /** Stops the pass at the end of epoch {@code epoch} (before its checkpoint) when {@code step} is 0, else after that step of it. */
    private record Stopper(int epoch, int step, int[] state) implements TrainProgress {
        Stopper(int epoch, int step) {
            this(epoch, step, new int[2]);
        }

        @Override
        public void epochStart(int e, int epochs, int steps) {
            state[0] = e;
            state[1] = 0;
        }

        @Override
        public void step(double meanLoss, double samplesPerSecond) {
            if (state[0] == epoch && ++state[1] == step) throw new Stopped();
        }

        @Override
        public void epochEnd(String summary) {
            if (state[0] == epoch && step == 0) throw new Stopped();
        }
    }

    private List<RunResult> run(Path runs, Recipe recipe, double val, PassStart start, TrainProgress progress) {
        double wd = recipe.optimizer() == OptimizerKind.LARS ? 0 : 1e-4;
        List<HeadSpec> heads = List.of(new HeadSpec("tiny", ProbeOptions.DEFAULTS, "a", 40, wd),
                new HeadSpec("tiny", ProbeOptions.DEFAULTS, "b", 20, wd), new HeadSpec("efficient", new ProbeOptions(4, 1, 0), "a", 1, wd));
        TrainRequest req = new TrainRequest(recipe, heads, 0, val, 0, 0, runs, PROV);
        return new ProbeTrainer(HEADS, progress, start).train(req, train, test);
    }

    @ParameterizedTest
    @CsvSource({"LARS, 0", "ADAMW, 0.25", "SGD, 0"})
    void aStoppedPassResumesToTheNumbersAndArraysOfAnUnstoppedOne(OptimizerKind optimizer, double val, @TempDir Path tmp) {
        Recipe recipe = new Recipe(optimizer, 64, 5, 1, 3);
        List<RunResult> reference = run(tmp.resolve("reference"), recipe, val, PassStart.RESUME, TrainProgress.SILENT);

        Path runs = tmp.resolve("resumed");
        assertThrows(Stopped.class, () -> run(runs, recipe, val, PassStart.RESUME, new Stopper(2, 0)));
        assertEquals(3L, epochLines(runs).get(0), "epochs.csv got epoch 2's line before the checkpoint: header + 2");
        assertThrows(Stopped.class, () -> run(runs, recipe, val, PassStart.RESUME, new Stopper(4, 3)));
        assertEquals(4L, epochLines(runs).get(0), "resumed after epoch 1: epoch 2's line was replaced, not repeated");
        List<RunResult> resumed = run(runs, recipe, val, PassStart.RESUME, TrainProgress.SILENT);

        assertEquals(HEAD_COUNT, resumed.size());
        for (int i = 0; i < HEAD_COUNT; i++) assertSameRun(reference.get(i), resumed.get(i));
        assertFalse(Files.exists(passFolder(runs).resolve(PassDirectory.CHECKPOINT)), "a finished pass drops its checkpoint");
    }

    @Test
    void aFinishedPassIsNotTrainedAgainUnlessFresh(@TempDir Path runs) throws IOException {
        Recipe recipe = new Recipe(OptimizerKind.LARS, 64, 2, 1, 0);
        List<RunResult> first = run(runs, recipe, 0, PassStart.RESUME, TrainProgress.SILENT);
        String json = Files.readString(first.get(0).file());

        List<RunResult> again = run(runs, recipe, 0, PassStart.RESUME, new Stopper(1, 1));
        assertEquals(first, again, "the finished pass's results, read back");
        assertEquals(json, Files.readString(first.get(0).file()), "result.json not rewritten");

        List<RunResult> fresh = run(runs, recipe, 0, PassStart.FRESH, TrainProgress.SILENT);
        assertFalse(fresh.get(0).runId().equals(first.get(0).runId()), "a fresh pass writes new run folders");
        for (int i = 0; i < HEAD_COUNT; i++) assertSameRun(first.get(i), fresh.get(i));
        assertTrue(Files.exists(first.get(0).file()), "the earlier finished runs are kept");
        assertEquals(2 * HEAD_COUNT, resultCount(runs));
    }

    @Test
    void otherRecipeOptionsDoNotResumeAnUnfinishedPass(@TempDir Path runs) throws IOException {
        Recipe fourEpochs = new Recipe(OptimizerKind.LARS, 64, 4, 1, 0);
        assertThrows(Stopped.class, () -> run(runs, fourEpochs, 0, PassStart.RESUME, new Stopper(2, 2)));
        Set<Path> before = tree(runs);

        Recipe threeEpochs = new Recipe(OptimizerKind.LARS, 32, 3, 1, 0);
        TrainInputException e = assertThrows(TrainInputException.class,
                () -> run(runs, threeEpochs, 0, PassStart.RESUME, TrainProgress.SILENT));
        assertTrue(e.getMessage().startsWith("--batch 32, --epochs 3 differ from the unfinished pass in "), e.getMessage());
        assertTrue(e.getMessage().contains("(--batch 64, --epochs 4)") && e.getMessage().contains("--fresh"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, tree(runs), "a refused resume writes nothing");

        // another seed is another pass, not a resume
        assertEquals(HEAD_COUNT, run(runs, new Recipe(OptimizerKind.LARS, 32, 3, 1, 1), 0, PassStart.RESUME, TrainProgress.SILENT).size());

        List<RunResult> fresh = run(runs, threeEpochs, 0, PassStart.FRESH, TrainProgress.SILENT);
        assertEquals(3, fresh.get(0).epochs());
        try (Stream<Path> dirs = Files.list(runs)) {
            List<Path> unfinished = dirs.filter(d -> !d.getFileName().toString().equals(PassDirectory.PASSES))
                    .filter(d -> !Files.exists(d.resolve(RunDirectory.RESULT))).toList();
            assertEquals(List.of(), unfinished, "--fresh removed the unfinished pass's run folders");
        }
        // the four-epoch pass is gone: its command trains from scratch and is not refused
        assertEquals(4, run(runs, fourEpochs, 0, PassStart.RESUME, TrainProgress.SILENT).get(0).epochs());
    }

    /** Every number of result.json but {@link #NOT_COMPARED}, every column of epochs.csv but seconds, both head states bit for bit. */
    static void assertSameRun(RunResult expected, RunResult actual, String... alsoNotCompared) {
        Path a = expected.file().getParent();
        Path b = actual.file().getParent();
        Map<String, Object> x = comparable(a);
        Map<String, Object> y = comparable(b);
        x.keySet().removeAll(List.of(alsoNotCompared));
        y.keySet().removeAll(List.of(alsoNotCompared));
        assertEquals(x, y, "result.json of " + b);
        assertEquals(epochNumbers(a), epochNumbers(b), "epochs.csv of " + b);
        for (String state : List.of(RunDirectory.BEST_STATE, RunDirectory.LAST_STATE)) {
            assertArrayEquals(bytes(a.resolve(state)), bytes(b.resolve(state)), state + " of " + b);
        }
    }

    static Map<String, Object> comparable(Path run) {
        try {
            Map<String, Object> json = new ObjectMapper().readValue(run.resolve(RunDirectory.RESULT).toFile(), new TypeReference<TreeMap<String, Object>>() {
            });
            json.keySet().removeAll(NOT_COMPARED);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String epochNumbers(Path run) {
        try {
            return Files.readAllLines(run.resolve(RunDirectory.EPOCHS)).stream()
                    .map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path passFolder(Path runs) {
        try (Stream<Path> s = Files.list(runs.resolve(PassDirectory.PASSES))) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** epochs.csv line counts of the runs folder's run folders. */
    private static List<Long> epochLines(Path runs) {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve(RunDirectory.EPOCHS))).sorted().map(d -> {
                try (Stream<String> lines = Files.lines(d.resolve(RunDirectory.EPOCHS))) {
                    return lines.count();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long resultCount(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve(RunDirectory.RESULT))).count();
        }
    }

    private static Set<Path> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.collect(Collectors.toSet());
        }
    }
}
