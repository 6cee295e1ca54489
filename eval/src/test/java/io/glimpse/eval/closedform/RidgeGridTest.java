package io.glimpse.eval.closedform;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeGridTest {
    /** Rows [n, dim] with a class-dependent offset, so the classes are separable in part. */
    static float[] features(Random rnd, int n, int dim, int[] labels, int classes) {
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int d = 0; d < dim; d++) x[i * dim + d] = (float) (rnd.nextGaussian() * (1 + d) + 3 + (d % classes == labels[i] ? 2 : 0));
        }
        return x;
    }

    @Test
    void everyStrengthOfTheGridMatchesTheDirectSolve() {
        int n = 70;
        int dim = 6;
        int classes = 3;
        Random rnd = new Random(7);
        int[] labels = new int[n];
        float[] x = features(rnd, n, dim, labels, classes);
        // a subset of rows, as the validation split makes one
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 0).toArray();
        RidgeGrid grid = RidgeGrid.fit(x, dim, labels, rows, classes);

        double[] mean = new double[dim];
        for (int r : rows) for (int d = 0; d < dim; d++) mean[d] += (double) x[r * dim + d] / rows.length;
        DMatrixRMaj xc = new DMatrixRMaj(rows.length, dim);
        DMatrixRMaj y = new DMatrixRMaj(rows.length, classes);
        double[] yMean = new double[classes];
        for (int i = 0; i < rows.length; i++) {
            for (int d = 0; d < dim; d++) xc.set(i, d, x[rows[i] * dim + d] - mean[d]);
            y.set(i, labels[rows[i]], 1);
            yMean[labels[rows[i]]] += 1.0 / rows.length;
        }
        DMatrixRMaj xtx = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.multTransA(xc, xc, xtx);
        DMatrixRMaj xty = new DMatrixRMaj(dim, classes);
        CommonOps_DDRM.multTransA(xc, y, xty);
        double meanEigenvalue = CommonOps_DDRM.trace(xtx) / dim;

        for (double rel : ClosedFormProbe.RIDGE.defaultGrid()) {
            double lambda = rel * meanEigenvalue;
            assertEquals(lambda, grid.absolute(rel), 1e-12 * lambda);
            DMatrixRMaj a = xtx.copy();
            for (int d = 0; d < dim; d++) a.add(d, d, lambda);
            DMatrixRMaj w = new DMatrixRMaj(dim, classes);
            assertTrue(CommonOps_DDRM.solve(a, xty, w));
            LinearModel m = grid.model(rel);
            double diff = 0;
            double norm = 0;
            for (int k = 0; k < w.data.length; k++) {
                diff += Math.pow(m.weights()[k] - w.data[k], 2);
                norm += w.data[k] * w.data[k];
            }
            assertTrue(Math.sqrt(diff) <= 1e-9 * Math.sqrt(norm), "lambda " + rel + ": relative error " + Math.sqrt(diff / norm));
            for (int c = 0; c < classes; c++) {
                double b = yMean[c];
                for (int d = 0; d < dim; d++) b -= mean[d] * w.get(d, c);
                assertEquals(b, m.bias()[c], 1e-9 * Math.max(1, Math.abs(b)), "bias, lambda " + rel);
            }
        }
    }

    @Test
    void aHugeStrengthPredictsTheClassFrequencies() {
        int n = 40;
        int dim = 3;
        int[] labels = new int[n];
        float[] x = features(new Random(3), n, dim, labels, 2);
        for (int i = 0; i < 10; i++) labels[i] = 0; // 25 of class 0, 15 of class 1
        int[] rows = java.util.stream.IntStream.range(0, n).toArray();
        LinearModel m = RidgeGrid.fit(x, dim, labels, rows, 2).model(1e12);
        double[] s = m.scores(x, new int[]{0});
        assertEquals(25.0 / 40, s[0], 1e-6);
        assertEquals(15.0 / 40, s[1], 1e-6);
    }
}
