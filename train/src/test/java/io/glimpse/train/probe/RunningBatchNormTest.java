package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.RunningBatchNorm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PyTorch's BatchNorm semantics, computed by hand: training normalises with the biased batch variance and moves
 * the running mean and the UNBIASED running variance with momentum 0.1; eval normalises with the running values.
 */
class RunningBatchNormTest {
    private static final double EPS = 1e-6;

    @Test
    void vectorsOverTheBatch() {
        // [B=4, C=2]
        double[][] steps = {{1, 10, 2, 20, 4, 40, 5, 50}, {-1, 0, 3, 2, 3, 4, 7, 6}};
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, DataType.FLOAT64, 1);
            RunningBatchNorm norm = RunningBatchNorm.plain(store, "bn", 2, EPS);
            double[] mean = {0, 0};
            double[] var = {1, 1};
            for (double[] values : steps) {
                NDArray x = manager.create(values, new Shape(4, 2));
                double[] out = norm.forward(x, true).toDoubleArray();
                for (int c = 0; c < 2; c++) {
                    double m = 0, ss = 0;
                    for (int b = 0; b < 4; b++) m += values[b * 2 + c] / 4;
                    for (int b = 0; b < 4; b++) ss += Math.pow(values[b * 2 + c] - m, 2);
                    for (int b = 0; b < 4; b++) {
                        assertEquals((values[b * 2 + c] - m) / Math.sqrt(ss / 4 + EPS), out[b * 2 + c], 1e-9, "train output");
                    }
                    mean[c] = 0.9 * mean[c] + 0.1 * m;
                    var[c] = 0.9 * var[c] + 0.1 * ss / 3;
                }
                assertRunning(store, "bn", mean, var);
            }
            NDArray probe = manager.create(new double[] {2, 3}, new Shape(1, 2));
            double[] out = norm.forward(probe, false).toDoubleArray();
            for (int c = 0; c < 2; c++) {
                assertEquals((probe.toDoubleArray()[c] - mean[c]) / Math.sqrt(var[c] + EPS), out[c], 1e-12, "eval output");
            }
            assertRunning(store, "bn", mean, var);
        }
    }

    /** [B, C, H, W] (cbam's spatial map, dolg's conv features): statistics over B, H and W, n = B*H*W. */
    @Test
    void mapsOverBatchAndPositions() {
        int b = 2, c = 2, h = 2, w = 3, n = b * h * w;
        double[] values = new double[b * c * h * w];
        for (int i = 0; i < values.length; i++) values[i] = Math.sin(1.3 * i) * (1 + i % 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, DataType.FLOAT64, 1);
            RunningBatchNorm norm = RunningBatchNorm.affine(store, "bn", c, 1e-5);
            norm.forward(manager.create(values, new Shape(b, c, h, w)), true);
            double[] mean = new double[c];
            double[] var = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double m = 0, ss = 0;
                for (int s = 0; s < b; s++) for (int p = 0; p < h * w; p++) m += values[(s * c + ch) * h * w + p] / n;
                for (int s = 0; s < b; s++) for (int p = 0; p < h * w; p++) ss += Math.pow(values[(s * c + ch) * h * w + p] - m, 2);
                mean[ch] = 0.1 * m;
                var[ch] = 0.9 + 0.1 * ss / (n - 1);
            }
            assertRunning(store, "bn", mean, var);
        }
    }

    private static void assertRunning(ParameterStore store, String name, double[] mean, double[] var) {
        double[] runningMean = store.buffers().get(name + ".running_mean").toDoubleArray();
        double[] runningVar = store.buffers().get(name + ".running_var").toDoubleArray();
        for (int c = 0; c < mean.length; c++) {
            assertEquals(mean[c], runningMean[c], 1e-12, "running mean of channel " + c);
            assertEquals(var[c], runningVar[c], 1e-12, "running variance (unbiased) of channel " + c);
        }
    }
}
