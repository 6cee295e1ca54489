package io.glimpse.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.memory.HeadMemory;
import io.glimpse.train.memory.MemoryBudget;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.PassDirectory;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.testing.SyntheticSource;
import io.glimpse.train.testing.TinyHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A grid split into several passes by a small memory budget gives every head the numbers and arrays of the same grid
 * trained in one pass; a split run stopped in its second pass resumes with the same split; a head that alone exceeds
 * the budget is refused in one line naming --memory-budget and --batch.
 */
class PassSplitTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    private static final RunProvenance PROV = new RunProvenance("synthetic-backbone", "synthetic", "train-key", "test-key", 1.5);
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    /**
     * Registry heads draw their init from their seed alone; a tiny head draws from the engine's generator, which is
     * seeded here per head so that it too does not depend on which heads were built before it.
     */
    private static final HeadFactory HEADS = (spec, layout, classes, manager, seed) -> {
        if (!spec.probe().equals("tiny")) return REGISTRY.create(spec.probe(), spec.options(), layout, classes, manager, seed);
        Engine.getEngine("PyTorch").setRandomSeed((int) seed + spec.layer().hashCode());
        return new TinyHead(layout.dim(), classes, manager);
    };
    private static final Recipe RECIPE = new Recipe(OptimizerKind.ADAMW, 64, 3, 1, 5);
    private static final int CLASSES = 4;
    private static final List<HeadSpec> GRID = grid();

    private final SyntheticSource train = new SyntheticSource(600, LAYOUT, CLASSES, 2.0, 1);
    private final SyntheticSource test = new SyntheticSource(200, LAYOUT, CLASSES, 2.0, 2);

    /** tiny on two layers and EP (M=2) at two weight decays and two base lrs: 8 heads. */
    private static List<HeadSpec> grid() {
        List<HeadSpec> heads = new ArrayList<>();
        for (double wd : List.of(0.0, 0.05)) {
            for (double blr : List.of(1.0, 4.0)) {
                heads.add(new HeadSpec("tiny", ProbeOptions.DEFAULTS, "a", blr * 10, wd));
                heads.add(new HeadSpec("tiny", ProbeOptions.DEFAULTS, "b", blr * 10, wd));
                heads.add(new HeadSpec("efficient", new ProbeOptions(2, 1, 0), "a", blr, wd));
            }
        }
        return heads;
    }

    /** Records the passes begun; stops the run at {@code step} of {@code epoch} of pass {@code stopPass} (0: never). */
    private static final class Passes implements TrainProgress {
        final List<Integer> started = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final int stopPass;
        final int stopEpoch;
        int pass;
        int passes;
        int epoch;
        int steps;

        Passes(int stopPass, int stopEpoch) {
            this.stopPass = stopPass;
            this.stopEpoch = stopEpoch;
        }

        @Override
        public void passStart(int pass, int passes, int heads, int epochs, int steps, int doneEpochs) {
            this.pass = pass;
            this.passes = passes;
            started.add(pass);
        }

        @Override
        public void epochStart(int epoch, int epochs, int steps) {
            this.epoch = epoch;
            this.steps = 0;
        }

        @Override
        public void step(double meanLoss, double samplesPerSecond) {
            if (pass == stopPass && epoch == stopEpoch && ++steps == 2) throw new IllegalStateException("stopped");
        }

        @Override
        public void epochEnd(String summary) {
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }
    }

    private List<RunResult> run(Path runs, MemoryBudget budget, PassStart start, TrainProgress progress) {
        TrainRequest req = new TrainRequest(RECIPE, GRID, 0, 0.25, 0, CLASSES, runs, PROV);
        return new ProbeTrainer(HEADS, progress, start, budget).train(req, train, test);
    }

    /** Room for the batch and the largest head of the grid: every pass holds one to a few heads. */
    private static MemoryBudget oneOrTwoHeads() {
        long largest = 0;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (HeadSpec spec : GRID) {
                try (ProbeHead h = HEADS.create(spec, LAYOUT, CLASSES, m, RECIPE.seed())) {
                    largest = Math.max(largest, HeadMemory.of(h, RECIPE.optimizer(), LAYOUT.dim(), CLASSES).at(RECIPE.batch()));
                }
            }
        }
        long shared = RECIPE.batch() * HeadMemory.batchBytesPerSample(LAYOUT, 2, CLASSES);
        return new MemoryBudget(shared + largest, "test");
    }

    @Test
    void aGridSplitIntoPassesEqualsTheGridInOnePass(@TempDir Path tmp) {
        Passes one = new Passes(0, 0);
        List<RunResult> whole = run(tmp.resolve("one"), MemoryBudget.UNLIMITED, PassStart.RESUME, one);
        assertEquals(List.of(1), one.started);
        assertEquals(GRID.size(), whole.get(0).headsInPass());

        Passes split = new Passes(0, 0);
        List<RunResult> parts = run(tmp.resolve("split"), oneOrTwoHeads(), PassStart.RESUME, split);
        assertTrue(split.passes >= 3, "passes: " + split.passes);
        assertEquals(split.passes, passFolders(tmp.resolve("split")));
        assertTrue(split.notes.stream().anyMatch(n -> n.startsWith(GRID.size() + " heads in " + split.passes + " passes")), split.notes.toString());
        assertTrue(parts.get(0).headsInPass() < GRID.size());
        assertSameHeads(whole, parts);
        // each head's own hyper-parameters, in the request's order
        for (int i = 0; i < GRID.size(); i++) {
            assertEquals(GRID.get(i).blr(), parts.get(i).recipe().blr());
            assertEquals(GRID.get(i).weightDecay(), parts.get(i).recipe().weightDecay());
            assertEquals(GRID.get(i).layer(), parts.get(i).layer());
        }
    }

    @Test
    void aSplitRunStoppedInItsSecondPassResumesWithTheSameSplit(@TempDir Path tmp) {
        List<RunResult> reference = run(tmp.resolve("reference"), MemoryBudget.UNLIMITED, PassStart.RESUME, TrainProgress.SILENT);
        Path runs = tmp.resolve("stopped");
        MemoryBudget small = oneOrTwoHeads();
        Passes first = new Passes(2, 2);
        assertThrows(IllegalStateException.class, () -> run(runs, small, PassStart.RESUME, first));
        assertEquals(List.of(1, 2), first.started);

        // the machine has more memory now: the passes already begun are kept as they were, the rest share one pass
        Passes resumed = new Passes(0, 0);
        List<RunResult> results = run(runs, MemoryBudget.UNLIMITED, PassStart.RESUME, resumed);
        assertTrue(resumed.notes.stream().anyMatch(n -> n.contains("pass already trained")), resumed.notes.toString());
        assertTrue(resumed.notes.stream().anyMatch(n -> n.contains("continuing the pass") && n.contains("after epoch 1/3")),
                resumed.notes.toString());
        assertEquals(3, resumed.passes);
        assertSameHeads(reference, results);
        try (Stream<Path> s = Files.list(runs.resolve(PassDirectory.PASSES))) {
            assertFalse(s.anyMatch(p -> Files.exists(p.resolve(PassDirectory.CHECKPOINT))), "finished passes drop their checkpoints");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aHeadThatAloneExceedsTheBudgetIsRefusedInOneLine(@TempDir Path runs) {
        TrainInputException e = assertThrows(TrainInputException.class,
                () -> run(runs, new MemoryBudget(4096, "--memory-budget 4K"), PassStart.RESUME, TrainProgress.SILENT));
        assertTrue(e.getMessage().startsWith("head tiny, layer a, blr 10.0 needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("--memory-budget") && e.getMessage().contains("--batch 64"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(runs.resolve(PassDirectory.PASSES)), "nothing written");
    }

    private static void assertSameHeads(List<RunResult> expected, List<RunResult> actual) {
        assertEquals(expected.size(), actual.size());
        // the pass a head was in may differ, and with it the pass's size; nothing else may
        for (int i = 0; i < expected.size(); i++) PassResumeTest.assertSameRun(expected.get(i), actual.get(i), "heads_in_pass");
    }

    private static long passFolders(Path runs) {
        try (Stream<Path> s = Files.list(runs.resolve(PassDirectory.PASSES))) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
