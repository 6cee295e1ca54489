package io.glimpse.eval.closedform;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.knn.KnnFeature;
import io.glimpse.eval.testing.ArrayTokenSource;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosedFormEvaluationTest {
    /** One informative dimension among many noisy ones, few rows: a weak L2 fits the noise, a huge one fits nothing. */
    private static float[] noisy(Random rnd, int n, int dim, int[] labels) {
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            x[i * dim] = (float) ((labels[i] == 0 ? -1 : 1) * 0.8 + rnd.nextGaussian());
            for (int d = 1; d < dim; d++) x[i * dim + d] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** A source whose rows are [CLS = x, patch = -x] (prefix 1, one patch), so cls and mean read different vectors. */
    private static ArrayTokenSource source(float[] x, int dim, int[] labels) {
        float[] tokens = new float[labels.length * 2 * dim];
        for (int i = 0; i < labels.length; i++) {
            for (int d = 0; d < dim; d++) {
                tokens[i * 2 * dim + d] = x[i * dim + d];
                tokens[i * 2 * dim + dim + d] = -x[i * dim + d];
            }
        }
        return new ArrayTokenSource(new TokenLayout(2, dim, 1, 1, 1), tokens, labels);
    }

    @Test
    void ridgePicksTheStrengthWithTheBestHoldOutAccuracyOfTheDirectSolves() {
        int dim = 40;
        int n = 80;
        Random rnd = new Random(4);
        int[] labels = new int[n];
        float[] x = noisy(rnd, n, dim, labels);
        int[] testLabels = new int[400];
        float[] test = noisy(rnd, 400, dim, testLabels);
        double[] grid = ClosedFormProbe.RIDGE.defaultGrid();
        ClosedFormSettings s = new ClosedFormSettings(ClosedFormProbe.RIDGE, ArrayTokenSource.LAYER, KnnFeature.CLS, grid, 0.5, 0, 3);
        ClosedFormResult r = new ClosedFormEvaluation(null).run(source(x, dim, labels), source(test, dim, testLabels), 0, s);

        RowSelection.Rows split = new RowSelection(0, 0, 0.5, 3).choose(labels);
        assertEquals(split.train().length, r.fitRows());
        assertEquals(split.validation().length, r.valRows());
        double[] expected = new double[grid.length];
        int best = 0;
        for (int k = 0; k < grid.length; k++) {
            LinearModel m = directRidge(x, dim, labels, split.train(), 2, grid[k]);
            int[] valLabels = java.util.Arrays.stream(split.validation()).map(i -> labels[i]).toArray();
            expected[k] = Scores.top1(m.scores(x, split.validation()), valLabels, 2);
            assertEquals(grid[k], r.grid().get(k).l2());
            assertEquals(expected[k], r.grid().get(k).valTop1(), 1e-9, "validation top-1 at l2 " + grid[k]);
            assertNull(r.grid().get(k).iterations());
            if (expected[k] >= expected[best]) best = k;
        }
        assertEquals(grid[best], r.chosen().l2());
        // the constructed problem has its best strength inside the grid, not at either end
        assertTrue(best > 0 && best < grid.length - 1, "best at " + grid[best] + " of " + java.util.Arrays.toString(expected));
        assertTrue(expected[best] > expected[0] && expected[best] > expected[grid.length - 1], java.util.Arrays.toString(expected));

        // the reported test top-1 is that of the refit on every train row
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        LinearModel refit = directRidge(x, dim, labels, all, 2, grid[best]);
        int[] testRows = java.util.stream.IntStream.range(0, 400).toArray();
        assertEquals(Scores.top1(refit.scores(test, testRows), testLabels, 2), r.top1(), 1e-9);
        assertEquals(100.0, r.top5(), 1e-9);
        assertEquals(n, r.trainRows());
        assertEquals(dim * 2 + 2, r.params());
    }

    @Test
    void logregFitsTheGridAndTheMeanPoolReadsThePatches() {
        int dim = 3;
        Random rnd = new Random(9);
        int[] labels = new int[300];
        float[] x = RidgeGridTest.features(rnd, 300, dim, labels, 3);
        int[] testLabels = new int[150];
        float[] test = RidgeGridTest.features(rnd, 150, dim, testLabels, 3);
        double[] grid = {1e-2, 1, 100};
        ClosedFormEvaluation eval = new ClosedFormEvaluation(null);
        ClosedFormResult cls = eval.run(source(x, dim, labels), source(test, dim, testLabels), 3,
                new ClosedFormSettings(ClosedFormProbe.LOGREG, ArrayTokenSource.LAYER, KnnFeature.CLS, grid, 0.2, 0, 0));
        ClosedFormResult mean = eval.run(source(x, dim, labels), source(test, dim, testLabels), 3,
                new ClosedFormSettings(ClosedFormProbe.LOGREG, ArrayTokenSource.LAYER, KnnFeature.MEAN, grid, 0.2, 0, 0));
        assertEquals(3, cls.grid().size());
        for (GridPoint p : cls.grid()) assertTrue(p.iterations() != null && p.iterations() > 0, p.toString());
        assertEquals(60, cls.valRows());
        assertTrue(cls.top1() > 60, "top-1 " + cls.top1());
        assertTrue(cls.meanPerClass() > 60, "mean per class " + cls.meanPerClass());
        // the patch is -x: a linear model on it is the mirror of one on x, so the accuracies agree
        assertEquals(cls.top1(), mean.top1(), 1e-9);
        assertEquals(KnnFeature.MEAN, mean.pool());
    }

    @Test
    void tiesGoToTheLargerStrength() {
        GridPoint chosen = ClosedFormEvaluation.choose(List.of(new GridPoint(1e-3, 80, null), new GridPoint(1e-2, 90, null),
                new GridPoint(1e-1, 90, null), new GridPoint(1, 70, null)));
        assertEquals(1e-1, chosen.l2());
        assertNotEquals(1e-2, chosen.l2());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(EvalInputException.class, () -> new ClosedFormSettings(ClosedFormProbe.RIDGE, "l", KnnFeature.CLS, new double[]{0}, 0.1, 0, 0));
        assertThrows(EvalInputException.class, () -> new ClosedFormSettings(ClosedFormProbe.RIDGE, "l", KnnFeature.CLS, new double[]{1}, 0, 0, 0));
        int[] labels = {0, 1, 0, 1};
        float[] tokens = new float[4 * 2];
        ArrayTokenSource noCls = new ArrayTokenSource(new TokenLayout(2, 1, 0, 1, 2), tokens, labels);
        EvalInputException e = assertThrows(EvalInputException.class, () -> new ClosedFormEvaluation(null).run(noCls, noCls, 0,
                new ClosedFormSettings(ClosedFormProbe.RIDGE, ArrayTokenSource.LAYER, KnnFeature.CLS, new double[]{1}, 0.5, 0, 0)));
        assertTrue(e.getMessage().contains("--pool"), e.getMessage());
    }

    /** (Xcᵀ·Xc + λ·I)⁻¹·Xcᵀ·Y by a direct solve, λ relative to trace/D, with the bias of the centring. */
    static LinearModel directRidge(float[] x, int dim, int[] labels, int[] rows, int classes, double relative) {
        double[] mean = new double[dim];
        double[] yMean = new double[classes];
        for (int r : rows) {
            for (int d = 0; d < dim; d++) mean[d] += (double) x[r * dim + d] / rows.length;
            yMean[labels[r]] += 1.0 / rows.length;
        }
        DMatrixRMaj xc = new DMatrixRMaj(rows.length, dim);
        DMatrixRMaj y = new DMatrixRMaj(rows.length, classes);
        for (int i = 0; i < rows.length; i++) {
            for (int d = 0; d < dim; d++) xc.set(i, d, x[rows[i] * dim + d] - mean[d]);
            y.set(i, labels[rows[i]], 1);
        }
        DMatrixRMaj a = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.multTransA(xc, xc, a);
        double lambda = relative * CommonOps_DDRM.trace(a) / dim;
        for (int d = 0; d < dim; d++) a.add(d, d, lambda);
        DMatrixRMaj xty = new DMatrixRMaj(dim, classes);
        CommonOps_DDRM.multTransA(xc, y, xty);
        DMatrixRMaj w = new DMatrixRMaj(dim, classes);
        CommonOps_DDRM.solve(a, xty, w);
        double[] b = yMean.clone();
        for (int c = 0; c < classes; c++) for (int d = 0; d < dim; d++) b[c] -= mean[d] * w.get(d, c);
        return new LinearModel(w.data, b, dim, classes);
    }
}
