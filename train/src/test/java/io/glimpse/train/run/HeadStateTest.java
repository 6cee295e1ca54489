package io.glimpse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The saved state in a run folder restores a head exactly: parameters and running statistics. */
class HeadStateTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final TokenLayout LAYOUT = new TokenLayout(17, 32, 1, 4, 4);

    private static NDArray tokens(NDManager m) {
        Random r = new Random(3);
        float[] v = new float[4 * LAYOUT.rowValues()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (1 + 2 * r.nextGaussian());
        return m.create(v, new ai.djl.ndarray.types.Shape(4, LAYOUT.tokens(), LAYOUT.dim()));
    }

    @Test
    void savedStateRestoresParametersAndRunningStatistics(@TempDir Path runs) {
        RunDirectory dir = RunDirectory.create(runs, "r");
        try (NDManager m = NDManager.newBaseManager();
             ProbeHead trained = REGISTRY.create("efficient", new ProbeOptions(4, 1, 0), LAYOUT, 5, m, 1);
             ProbeHead fresh = REGISTRY.create("efficient", new ProbeOptions(4, 1, 0), LAYOUT, 5, m, 2)) {
            NDArray x = tokens(m);
            trained.forward(x, true);
            try (NDList state = HeadState.capture(trained, m)) {
                dir.writeStates(state, state);
            }
            try (NDManager scratch = m.newSubManager(); NDList back = dir.readBestState(scratch)) {
                HeadState.restore(fresh, back, "best");
            }
            assertArrayEquals(trained.forward(x, false).toFloatArray(), fresh.forward(x, false).toFloatArray());
            assertArrayEquals(trained.buffers().get("bn.running_var").toFloatArray(), fresh.buffers().get("bn.running_var").toFloatArray());
        }
    }

    @Test
    void anotherHeadsStateIsRefusedWithItsSource(@TempDir Path runs) {
        try (NDManager m = NDManager.newBaseManager();
             ProbeHead linear = REGISTRY.create("linear", ProbeOptions.DEFAULTS, LAYOUT, 5, m, 1);
             ProbeHead wider = REGISTRY.create("linear", ProbeOptions.DEFAULTS, LAYOUT, 7, m, 1);
             NDList state = HeadState.capture(linear, m)) {
            String message = assertThrows(TrainInputException.class, () -> HeadState.restore(wider, state, "runs/x/head-best.ndlist")).getMessage();
            assertTrue(message.startsWith("runs/x/head-best.ndlist") && message.contains("shape"), message);
            assertThrows(TrainInputException.class, () -> RunDirectory.create(runs, "empty").readBestState(m));
        }
    }
}
