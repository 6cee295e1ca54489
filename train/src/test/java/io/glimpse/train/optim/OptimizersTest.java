package io.glimpse.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.TrainInputException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizersTest {

    @Test
    void sgdMomentumMatchesHandComputedSteps() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager(); Optimizer sgd = new SgdMomentum(m, 0.1, 0.9)) {
            NDArray w = m.create(new float[] {1, -2}, new Shape(2, 1));
            w.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w", w));
            LarsTest.setGradients(engine, params, Map.of("w", new float[] {0.5f, 0.5f}));
            LarsTest.step(sgd, params, 0.1);
            // g + wd*p = (0.6, 0.3); mu = that; w -= 0.1*mu
            assertArrayEquals(new float[] {0.94f, -2.03f}, w.toFloatArray(), 1e-6f);
            LarsTest.setGradients(engine, params, Map.of("w", new float[] {0f, 0f}));
            LarsTest.step(sgd, params, 0.1);
            // g = wd*p = (0.094, -0.203); mu = 0.9*(0.6,0.3) + g = (0.634, 0.067)
            assertArrayEquals(new float[] {0.94f - 0.0634f, -2.03f - 0.0067f}, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void adamWFirstStepMovesEachCoordinateByLr() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager(); Optimizer adam = new AdamW(m, 0.0)) {
            NDArray w = m.create(new float[] {1, -2, 3}, new Shape(3, 1));
            w.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w", w));
            LarsTest.setGradients(engine, params, Map.of("w", new float[] {0.5f, -4f, 1e-3f}));
            LarsTest.step(adam, params, 0.01);
            // bias-corrected first step: m̂/sqrt(v̂) = sign(g) (up to eps)
            assertArrayEquals(new float[] {0.99f, -1.99f, 2.99f}, w.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void adamWDecaysMatricesOnly() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager(); Optimizer adam = new AdamW(m, 0.5)) {
            NDArray w = m.create(new float[] {2}, new Shape(1, 1));
            NDArray b = m.create(new float[] {2});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w", w, "b", b));
            LarsTest.setGradients(engine, params, Map.of("w", new float[] {1f}, "b", new float[] {1f}));
            LarsTest.step(adam, params, 0.1);
            assertEquals(2 * (1 - 0.05) - 0.1, w.toFloatArray()[0], 1e-5);
            assertEquals(2 - 0.1, b.toFloatArray()[0], 1e-5);
        }
    }

    @Test
    void optimizerNamesParseAndUnknownNamesAreRefusedWithTheAllowedList() {
        assertEquals(OptimizerKind.LARS, OptimizerKind.parse("LARS"));
        assertEquals(OptimizerKind.ADAMW, OptimizerKind.parse("adamw"));
        TrainInputException e = assertThrows(TrainInputException.class, () -> OptimizerKind.parse("adam"));
        assertTrue(e.getMessage().contains("--optimizer") && e.getMessage().contains("lars, adamw, sgd"), e.getMessage());
    }
}
