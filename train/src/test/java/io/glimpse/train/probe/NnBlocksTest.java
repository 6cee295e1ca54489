package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.MultiHeadAttention;
import io.glimpse.train.probe.nn.ParameterStore;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared building blocks against naive loops. */
class NnBlocksTest {
    @Test
    void layerNormMatchesLoops() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, DataType.FLOAT64, 1);
            LayerNormLayer norm = LayerNormLayer.create(store, "ln", 6, 1e-6);
            double[] gain = {0.5, 1, 1.5, 2, -1, 3};
            store.parameters().get("ln.weight").set(gain);
            store.parameters().get("ln.bias").set(new double[] {0, 1, 0, -1, 0, 2});
            NDArray x = HeadFixtures.tokens(manager, new TokenLayout(3, 6, 0, 0, 0), 2, 4, DataType.FLOAT64);
            double[] in = x.toDoubleArray();
            double[] out = norm.forward(x).toDoubleArray();
            double[] shift = {0, 1, 0, -1, 0, 2};
            for (int row = 0; row < 6; row++) {
                double mean = 0, var = 0;
                for (int k = 0; k < 6; k++) mean += in[row * 6 + k] / 6;
                for (int k = 0; k < 6; k++) var += Math.pow(in[row * 6 + k] - mean, 2) / 6;
                for (int k = 0; k < 6; k++) {
                    double expected = (in[row * 6 + k] - mean) / Math.sqrt(var + 1e-6) * gain[k] + shift[k];
                    assertEquals(expected, out[row * 6 + k], 1e-12);
                }
            }
        }
    }

    @Test
    void multiHeadAttentionMatchesLoops() {
        int b = 2, nq = 3, n = 5, d = 8, h = 2, c = d / h;
        double scale = 0.7;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = HeadFixtures.tokens(manager, new TokenLayout(nq, d, 0, 0, 0), b, 1, DataType.FLOAT64);
            NDArray k = HeadFixtures.tokens(manager, new TokenLayout(n, d, 0, 0, 0), b, 2, DataType.FLOAT64);
            NDArray v = HeadFixtures.tokens(manager, new TokenLayout(n, d, 0, 0, 0), b, 3, DataType.FLOAT64);
            double[] qa = q.toDoubleArray(), ka = k.toDoubleArray(), va = v.toDoubleArray();
            double[] out = MultiHeadAttention.attend(q, k, v, h, scale).toDoubleArray();
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < nq; i++) {
                    for (int head = 0; head < h; head++) {
                        double[] w = new double[n];
                        double z = 0;
                        for (int j = 0; j < n; j++) {
                            for (int e = 0; e < c; e++) w[j] += qa[(s * nq + i) * d + head * c + e] * ka[(s * n + j) * d + head * c + e] * scale;
                        }
                        double max = java.util.Arrays.stream(w).max().orElseThrow();
                        for (int j = 0; j < n; j++) z += w[j] = Math.exp(w[j] - max);
                        for (int e = 0; e < c; e++) {
                            double y = 0;
                            for (int j = 0; j < n; j++) y += w[j] / z * va[(s * n + j) * d + head * c + e];
                            assertEquals(y, out[(s * nq + i) * d + head * c + e], 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] x = {-3, -1, -0.5, 0, 0.5, 1, 3};
            double[] y = Activation.gelu(manager.create(x)).toDoubleArray();
            // 0.5 x (1 + erf(x / sqrt 2)), erf values from tables
            double[] expected = {-0.0040496, -0.1586553, -0.1542687, 0, 0.3457313, 0.8413447, 2.9959504};
            for (int i = 0; i < x.length; i++) assertEquals(expected[i], y[i], 1e-6, "gelu(" + x[i] + ")");
        }
    }

    @Test
    void initsAreSeededAndBounded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore a = new ParameterStore(manager, DataType.FLOAT32, 42);
            ParameterStore b = new ParameterStore(manager, DataType.FLOAT32, 42);
            Shape shape = new Shape(200, 50);
            float[] x = a.parameter("w", shape, Init.truncatedNormalTf(0.5)).toFloatArray();
            assertArrayEquals(x, b.parameter("w", shape, Init.truncatedNormalTf(0.5)).toFloatArray());
            double sum = 0, sq = 0;
            for (float v : x) {
                assertTrue(Math.abs(v) <= 1.0f + 1e-6, "tf truncation at 2 sigma");
                sum += v;
                sq += v * v;
            }
            // a normal cut at +-2 sigma has std 0.8796 sigma
            assertEquals(0, sum / x.length, 0.02);
            assertEquals(0.8796 * 0.5, Math.sqrt(sq / x.length), 0.01);
            float[] u = a.parameter("u", shape, Init.torchDefault(16)).toFloatArray();
            for (float v : u) assertTrue(Math.abs(v) <= 0.25f, "U(+-1/sqrt(16))");
        }
    }
}
