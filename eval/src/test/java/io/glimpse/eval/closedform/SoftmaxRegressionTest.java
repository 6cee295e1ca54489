package io.glimpse.eval.closedform;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxRegressionTest {
    /** Far tighter than the evaluation's stopping rule: these tests check the optimum itself. */
    static final Lbfgs.Settings CONVERGED = new Lbfgs.Settings(10, 5000, 1e-9, 0);
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
            Lbfgs.Result r = f.fit(l2, new double[f.parameterCount()], CONVERGED);
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
        LinearModel m = f.model(f.fit(l2, new double[f.parameterCount()], CONVERGED).x());
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

    /**
     * Features whose scales differ by a factor of 10^4: the standardised fit, folded back to raw coordinates, must be
     * the optimum of the equivalent raw problem, mean cross-entropy + (l2/2)·Σ_d (σ_d·W_d)². Its gradient is
     * computed here from the raw features alone, so a wrong scale, mean or fold shows as a non-zero gradient.
     */
    @Test
    void theStandardisedFitIsTheOptimumOfTheEquivalentRawProblem() {
        int n = 240;
        int dim = 4;
        int classes = 3;
        int[] labels = new int[n];
        float[] x = RidgeGridTest.features(new Random(3), n, dim, labels, classes);
        double[] factor = {1e-2, 1, 30, 100};
        for (int i = 0; i < n; i++) for (int d = 0; d < dim; d++) x[i * dim + d] = (float) (x[i * dim + d] * factor[d] + 5 * factor[d]);
        int[] rows = IntStream.range(0, n).filter(i -> i % 4 != 0).toArray();
        double l2 = 0.05;
        SoftmaxRegression f = new SoftmaxRegression(x, dim, labels, rows, classes);
        LinearModel m = f.model(f.fit(l2, new double[f.parameterCount()], CONVERGED).x());

        double[] mean = new double[dim];
        double[] var = new double[dim];
        for (int r : rows) for (int d = 0; d < dim; d++) mean[d] += x[r * dim + d] / (double) rows.length;
        for (int r : rows) for (int d = 0; d < dim; d++) var[d] += Math.pow(x[r * dim + d] - mean[d], 2) / rows.length;
        double[] scores = m.scores(x, rows);
        double[] gw = new double[dim * classes];
        double[] gb = new double[classes];
        for (int i = 0; i < rows.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, scores[i * classes + c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.exp(scores[i * classes + c] - max);
            for (int c = 0; c < classes; c++) {
                double residual = Math.exp(scores[i * classes + c] - max) / sum - (labels[rows[i]] == c ? 1 : 0);
                gb[c] += residual / rows.length;
                for (int d = 0; d < dim; d++) gw[d * classes + c] += x[rows[i] * dim + d] * residual / rows.length;
            }
        }
        for (int d = 0; d < dim; d++) {
            for (int c = 0; c < classes; c++) {
                double g = gw[d * classes + c] + l2 * var[d] * m.weights()[d * classes + c];
                // the standardised gradient is the raw one divided by σ_d (W_raw = W_std / σ_d)
                assertEquals(0, g / Math.sqrt(var[d]), 1e-5, "W gradient, feature " + d + " class " + c);
            }
        }
        for (int c = 0; c < classes; c++) assertEquals(0, gb[c], 1e-5, "bias gradient, class " + c);
    }

    /** The preconditioned fit is a change of variables: plain L-BFGS on the objective itself finds the same minimiser. */
    @Test
    void thePreconditionedFitFindsThePlainMinimiser() {
        int n = 150;
        int dim = 5;
        int classes = 3;
        int[] labels = new int[n];
        float[] x = RidgeGridTest.features(new Random(8), n, dim, labels, classes);
        // strongly correlated features, the case the preconditioner is for
        for (int i = 0; i < n; i++) x[i * dim + 4] = x[i * dim] + 0.01f * x[i * dim + 4];
        int[] rows = IntStream.range(0, n).toArray();
        SoftmaxRegression f = new SoftmaxRegression(x, dim, labels, rows, classes);
        double l2 = 0.02;
        Lbfgs.Settings tight = new Lbfgs.Settings(10, 20_000, 1e-9, 0);
        double[] preconditioned = f.fit(l2, new double[f.parameterCount()], tight).x();
        double[] plain = Lbfgs.minimize((p, g) -> f.valueAndGradient(p, g, l2), new double[f.parameterCount()], tight).x();
        for (int i = 0; i < plain.length; i++) assertEquals(plain[i], preconditioned[i], 1e-6, "parameter " + i);
    }

    /** The evaluation's own stopping rule holds on the gradient of W and b, not only of the preconditioned coordinates. */
    @Test
    void theEvaluationStopsWithTheGradientOfWAndBWithinItsTolerance() {
        int n = 400;
        int dim = 6;
        int classes = 4;
        int[] labels = new int[n];
        float[] x = RidgeGridTest.features(new Random(12), n, dim, labels, classes);
        for (int i = 0; i < n; i++) x[i * dim + 5] = x[i * dim] * 3 + 0.001f * x[i * dim + 5];
        SoftmaxRegression f = new SoftmaxRegression(x, dim, labels, IntStream.range(0, n).toArray(), classes);
        double l2 = SoftmaxRegression.absolute(1e-2, n);
        Lbfgs.Result r = f.fit(l2, new double[f.parameterCount()], ClosedFormEvaluation.LBFGS);
        double[] g = new double[f.parameterCount()];
        f.valueAndGradient(r.x(), g, l2);
        double max = 0;
        for (double v : g) max = Math.max(max, Math.abs(v));
        assertTrue(r.converged(), "stopped after " + r.iterations() + " iterations without converging");
        assertTrue(max <= ClosedFormEvaluation.LBFGS.gradientTolerance(), "largest gradient component " + max);
        assertEquals(max, r.gradientNorm(), 1e-12);
    }
}
