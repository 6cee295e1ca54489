package io.glimpse.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** LARS steps checked against values computed by hand from the update rule of docs/recipe.md#optimizers. */
class LarsTest {

    /** Gives every parameter the gradient {@code grads[i]} (through autograd: d/dp Σ p·g = g). */
    static void setGradients(Engine engine, Map<String, NDArray> params, Map<String, float[]> grads) {
        try (NDScope scope = new NDScope(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray total = null;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                JniUtils.zeroGrad((PtNDArray) p);
                NDArray g = p.getManager().create(grads.get(e.getKey()), p.getShape());
                NDArray term = p.mul(g).sum();
                total = total == null ? term : total.add(term);
            }
            gc.backward(total);
        }
    }

    static void step(Optimizer opt, Map<String, NDArray> params, double lr) {
        try (NDScope scope = new NDScope()) {
            opt.step(params, lr);
        }
    }

    @Test
    void trustRatioMomentumAndOneDimensionalExclusion() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray w = m.create(new float[] {3, 4}, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray b = m.create(new float[] {1, 2});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", b);
            Lars lars = new Lars(m, 0.0);

            // step 1: ||w|| = 5, ||g|| = 1 -> q = 0.001*5 = 0.005; mu = q*g = (0.003, 0.004); w -= 2*mu
            setGradients(engine, params, Map.of("w", new float[] {0.6f, 0.8f}, "b", new float[] {0.5f, -1f}));
            step(lars, params, 2.0);
            assertArrayEquals(new float[] {2.994f, 3.992f}, w.toFloatArray(), 1e-6f);
            // 1-D: no trust ratio: mu = g, b -= 2*g
            assertArrayEquals(new float[] {0f, 4f}, b.toFloatArray(), 1e-6f);

            // step 2 with g = (0, 2): ||w1|| = sqrt(2.994^2 + 3.992^2) = 4.99, ||g|| = 2 -> q = 0.001*4.99/2
            setGradients(engine, params, Map.of("w", new float[] {0f, 2f}, "b", new float[] {1f, 1f}));
            step(lars, params, 0.5);
            double n1 = Math.sqrt(2.994 * 2.994 + 3.992 * 3.992);
            double q = 0.001 * n1 / 2.0;
            double mu0 = 0.9 * 0.003 + q * 0;
            double mu1 = 0.9 * 0.004 + q * 2;
            assertArrayEquals(new float[] {(float) (2.994 - 0.5 * mu0), (float) (3.992 - 0.5 * mu1)}, w.toFloatArray(), 1e-6f);
            // bias momentum: mu = 0.9*(0.5,-1) + (1,1) = (1.45, 0.1)
            assertArrayEquals(new float[] {(float) (0 - 0.5 * 1.45), (float) (4 - 0.5 * 0.1)}, b.toFloatArray(), 1e-6f);
            lars.close();
        }
    }

    /**
     * Higher-rank tensors (a [1, 1, D] latent, cbam's [1, 2, 7, 7] conv weight) get weight decay and ONE trust ratio
     * from the norms of the whole tensor, not per row or per channel.
     */
    @Test
    void trustRatioSpansTheWholeTensorOfAnyRank() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray latent = m.create(new float[] {3, 0, 4, 0}, new ai.djl.ndarray.types.Shape(1, 1, 4));
            // conv weight: input channel 0 all 0.5, channel 1 all 0 (a per-channel ratio would give channel 1 q = 1)
            float[] convValues = new float[98];
            java.util.Arrays.fill(convValues, 0, 49, 0.5f);
            NDArray conv = m.create(convValues, new ai.djl.ndarray.types.Shape(1, 2, 7, 7));
            latent.setRequiresGradient(true);
            conv.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("latent", latent);
            params.put("conv", conv);
            float[] convGrad = new float[98];
            java.util.Arrays.fill(convGrad, -0.25f);
            Lars lars = new Lars(m, 0.5);
            setGradients(engine, params, Map.of("latent", new float[] {0, 1, 0, 0}, "conv", convGrad));
            step(lars, params, 2.0);

            // latent: g + 0.5 p = (1.5, 1, 2, 0), norm sqrt(7.25); ||p|| = 5 -> q = 0.001 * 5 / sqrt(7.25)
            double q = 0.001 * 5 / Math.sqrt(7.25);
            assertArrayEquals(new float[] {(float) (3 - 2 * q * 1.5), (float) (0 - 2 * q * 1), (float) (4 - 2 * q * 2), 0f},
                    latent.toFloatArray(), 1e-7f);
            // conv: g + 0.5 p = -0.25 + 0.25 = 0 on channel 0 and -0.25 on channel 1: norm 0.25 * 7 = 1.75;
            // ||p|| = 0.5 * 7 = 3.5 -> q = 0.001 * 3.5 / 1.75 = 0.002 for all 98 entries
            float[] expected = new float[98];
            for (int i = 0; i < 98; i++) expected[i] = i < 49 ? 0.5f : (float) (0 - 2 * 0.002 * -0.25);
            assertArrayEquals(expected, conv.toFloatArray(), 1e-7f);
            lars.close();
        }
    }

    @Test
    void weightDecayOnlyOnMatricesAndZeroNormTakesRawGradient() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray w = m.create(new float[] {3, 4}, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray z = m.zeros(new ai.djl.ndarray.types.Shape(1, 2));
            NDArray b = m.create(new float[] {1, 2});
            for (NDArray p : new NDArray[] {w, z, b}) p.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("z", z);
            params.put("b", b);
            Lars lars = new Lars(m, 0.5);
            setGradients(engine, params, Map.of("w", new float[] {0f, 0f}, "z", new float[] {0.25f, -0.5f}, "b", new float[] {0.5f, 0.5f}));
            step(lars, params, 1.0);
            // w: g + wd*p = (1.5, 2), norm 2.5 -> q = 0.001*5/2.5 = 0.002 -> update (0.003, 0.004)
            assertArrayEquals(new float[] {2.997f, 3.996f}, w.toFloatArray(), 1e-6f);
            // z: ||p|| = 0 -> q = 1: raw gradient step (decay of zero is zero)
            assertArrayEquals(new float[] {-0.25f, 0.5f}, z.toFloatArray(), 1e-6f);
            // b: 1-D, no decay, no trust
            assertArrayEquals(new float[] {0.5f, 1.5f}, b.toFloatArray(), 1e-6f);
            lars.close();
        }
    }
}
