package io.glimpse.eval.head;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.eval.complementarity.AttentionMaps;
import io.glimpse.eval.complementarity.ComplementarityAccumulator;
import io.glimpse.eval.complementarity.ComplementarityJob;
import io.glimpse.eval.testing.ArrayTokenSource;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.Complementarity;
import io.glimpse.train.run.HeadState;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A head saved the way the trainer saves it is rebuilt with the same attention, and its metrics land in result.json. */
class TrainedHeadTest {
    private static final TokenLayout LAYOUT = new TokenLayout(10, 16, 1, 3, 3);

    @TempDir
    Path runs;

    private static ArrayTokenSource tokens(int n) {
        Random rnd = new Random(11);
        float[] t = new float[n * LAYOUT.rowValues()];
        for (int i = 0; i < t.length; i++) t[i] = (float) rnd.nextGaussian();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        return new ArrayTokenSource(LAYOUT, t, labels);
    }

    /** Saves a head with seed 42 as the trainer does; result.json says seed 0, so only the state can restore it. */
    private ProbeHead saveTrainedLike(NDManager m) throws Exception {
        ProbeHead head = new ProbeRegistry().create("efficient", new ProbeOptions(4, 1, 0), LAYOUT, 3, m, 42);
        RunDirectory dir = RunDirectory.create(runs, "run");
        try (NDList state = HeadState.capture(head, m)) {
            dir.writeStates(state, state);
        }
        Files.writeString(dir.resultFile(), """
                {"probe": "efficient", "options": {"queries": 4, "d_out": 1}, "layer": "hidden", "seed": 0,
                 "top1_best": 50.0, "params": 123, "train_seconds": 9.5, "unknown_trainer_field": [1, 2]}""");
        return head;
    }

    @Test
    void rebuiltHeadHasTheSavedAttentionAndItsMetricsAreWritten() throws Exception {
        ArrayTokenSource src = tokens(37);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ProbeHead original = saveTrainedLike(m);
            try (TrainedHead loaded = TrainedHead.load(runs.resolve("run"), LAYOUT, 3, m)) {
                assertEquals("hidden", loaded.layer());
                Iterator<TokenBatch> it = src.batches(EpochPlan.sequential(37));
                TokenBatch b = it.next();
                AttentionMaps want = AttentionReader.read(original, b, "hidden", LAYOUT, m).orElseThrow();
                AttentionMaps got = AttentionReader.read(loaded.head(), b, "hidden", LAYOUT, m).orElseThrow();
                assertEquals(4, got.queries());
                assertEquals(LAYOUT.patches(), got.tokens());
                assertArrayEquals(want.values(), got.values(), 1e-6f);

                ComplementarityAccumulator direct = new ComplementarityAccumulator();
                direct.add(want);
                Complementarity c = ComplementarityJob.run(loaded.head(), src, "hidden", "test", m, n -> { }).orElseThrow();
                assertEquals(37, c.images());
                assertEquals(direct.result("test").avgSimilarity(), c.avgSimilarity(), 1e-9);
                assertEquals(direct.result("test").meanEntropy(), c.meanEntropy(), 1e-9);
                assertTrue(c.meanEntropy() > 0 && c.meanEntropy() <= Math.log(LAYOUT.patches()) + 1e-9);

                RunResult r = RunDirectory.open(runs.resolve("run")).updateResult(old -> old.withComplementarity(c));
                assertEquals(r, ResultJson.read(runs.resolve("run").resolve(RunDirectory.RESULT)));
                assertEquals(c.avgSimilarity(), r.complementarity().avgSimilarity(), 1e-9);
                assertEquals(9.5, r.trainSeconds());
                assertTrue(r.fields().containsKey("unknown_trainer_field"), "trainer fields are kept");
            }
            original.close();
        }
    }

    @Test
    void headsWithoutAttentionGiveNoMetricsAndBadStateIsRefused() throws Exception {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
             ProbeHead linear = new ProbeRegistry().create("linear", ProbeOptions.DEFAULTS, LAYOUT, 3, m, 0)) {
            assertEquals(Optional.empty(), ComplementarityJob.run(linear, tokens(5), "hidden", "test", m, n -> { }));
            saveTrainedLike(m).close();
            // the saved head has 3 classes; a 5-class rebuild must be refused with the file named
            TrainInputException e = assertThrows(TrainInputException.class, () -> TrainedHead.load(runs.resolve("run"), LAYOUT, 5, m));
            assertTrue(e.getMessage().contains(RunDirectory.BEST_STATE), e.getMessage());
        }
    }
}
