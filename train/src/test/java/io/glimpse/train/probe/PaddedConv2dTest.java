package io.glimpse.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.glimpse.train.probe.nn.PaddedConv2d;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cbam's 7x7 "same" convolution on maps as small as the kernel (the fixture's 7x7 grid) and smaller: output, input
 * gradient and weight gradient against direct loops, in float32, repeated because torch's own CPU conv2d backward
 * (which it replaces) gave a different, sometimes NaN, input gradient from run to run.
 */
class PaddedConv2dTest {
    private static final int B = 3, CIN = 2, K = 7, RUNS = 8;

    @ParameterizedTest
    @ValueSource(ints = {4, 7, 9})
    void sameConvolutionAndItsGradientsMatchDirectLoops(int h) {
        Random random = new Random(h);
        float[] x = gaussian(random, B * CIN * h * h);
        float[] w = gaussian(random, CIN * K * K);
        float[] r = gaussian(random, B * h * h); // loss = sum(out * r), so dL/dout = r
        double[] out = new double[B * h * h];
        double[] gradX = new double[x.length];
        double[] gradW = new double[w.length];
        int p = K / 2;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < h; j++) {
                    for (int c = 0; c < CIN; c++) {
                        for (int u = 0; u < K; u++) {
                            for (int v = 0; v < K; v++) {
                                int si = i + u - p, sj = j + v - p;
                                if (si < 0 || sj < 0 || si >= h || sj >= h) continue;
                                int xi = ((b * CIN + c) * h + si) * h + sj, wi = (c * K + u) * K + v, oi = (b * h + i) * h + j;
                                out[oi] += x[xi] * w[wi];
                                gradX[xi] += r[oi] * w[wi];
                                gradW[wi] += r[oi] * x[xi];
                            }
                        }
                    }
                }
            }
        }
        for (int run = 0; run < RUNS; run++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray xs = m.create(x, new Shape(B, CIN, h, h));
                NDArray ws = m.create(w, new Shape(1, CIN, K, K));
                xs.setRequiresGradient(true);
                ws.setRequiresGradient(true);
                float[] y;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray o = PaddedConv2d.same(xs, ws);
                    assertEquals(new Shape(B, 1, h, h), o.getShape());
                    y = o.toFloatArray();
                    collector.backward(o.mul(m.create(r, o.getShape())).sum());
                }
                assertClose(out, y, "output", h, run);
                assertClose(gradX, xs.getGradient().toFloatArray(), "input gradient", h, run);
                assertClose(gradW, ws.getGradient().toFloatArray(), "weight gradient", h, run);
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextGaussian();
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, String what, int h, int run) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.abs(expected[i])),
                    what + " at " + i + " (grid " + h + ", run " + run + "): " + actual[i] + " vs " + expected[i]);
        }
    }
}
