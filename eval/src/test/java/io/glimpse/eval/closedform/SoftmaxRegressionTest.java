package io.glimpse.eval.closedform;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxRegressionTest {
    @Test
    void theGradientMatchesFiniteDifferences() {
        int n = 30;
        int dim = 4;
        int classes = 3;
        int[] labels = new int[n];
        float[] x = RidgeGridTest.features(new Random(11), n, dim, labels, classes);
        SoftmaxRegression f = new SoftmaxRegression(x, dim, labels, IntStream.range(0, n).toArray(), classes);
        Random rnd = new Random(5);
        double[] p = new double[f.parameterCount()];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextGaussian();
        double l2 = 0.3;
        double[] g = new double[p.length];
        f.valueAndGradient(p, g, l2);
        double h = 1e-6;
        double[] scratch = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double[] up = p.clone();
            double[] down = p.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (f.valueAndGradient(up, scratch, l2) - f.valueAndGradient(down, scratch, l2)) / (2 * h);
            assertEquals(numeric, g[i], 1e-7, "component " + i);
        }
    }

    @Test
    void theFittedGradientVanishes() {
        int n = 200;
        int dim = 5;
        int classes = 4;
        int[] labels = new int[n];
        float[] x = RidgeGridTest.features(new Random(2), n, dim, labels, classes);
        int[] rows = IntStream.range(0, n).toArray();
        for (double l2 : new double[]{1e-3, 1e-1}) {
            SoftmaxRegression f = new SoftmaxRegression(x, dim, labels, rows, classes);
            Lbfgs.Result r = f.fit(l2, new double[f.parameterCount()], ClosedFormEvaluation.LBFGS);
            double[] g = new double[f.parameterCount()];
            f.valueAndGradient(r.x(), g, l2);
            double max = 0;
            for (double v : g) max = Math.max(max, Math.abs(v));
            assertTrue(max < 1e-5, "l2 " + l2 + ": largest gradient component " + max + " after " + r.iterations() + " iterations");
        }
    }

    /**
     * Two points x = ±a of two classes: standardised they are ±1; by symmetry w1 = -w0 = v/2 and b = 0, where v
     * minimises log(1 + e^(-v)) + l2·v²/4, i.e. solves -1/(1 + e^v) + l2·v/2 = 0 (found here by bisection).
     */
    @Test
    void twoSymmetricPointsHaveTheKnownSolution() {
        float a = 3f;
        float[] x = {-a, a};
        int[] labels = {0, 1};
        double l2 = 0.5;
        SoftmaxRegression f = new SoftmaxRegression(x, 1, labels, new int[]{0, 1}, 2);
        LinearModel m = f.model(f.fit(l2, new double[f.parameterCount()], ClosedFormEvaluation.LBFGS).x());
        double lo = 0;
        double hi = 100;
        for (int i = 0; i < 200; i++) {
            double v = (lo + hi) / 2;
            if (-1 / (1 + Math.exp(v)) + l2 * v / 2 < 0) lo = v; else hi = v;
        }
        double v = (lo + hi) / 2;
        assertEquals(-v / 2 / a, m.weights()[0], 1e-6);
        assertEquals(v / 2 / a, m.weights()[1], 1e-6);
        assertEquals(0, m.bias()[0], 1e-6);
        assertEquals(0, m.bias()[1], 1e-6);
    }
}
