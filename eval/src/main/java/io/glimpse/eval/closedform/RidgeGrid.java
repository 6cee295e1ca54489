package io.glimpse.eval.closedform;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Ridge regression of one-hot targets on centred features, for any L2 strength from one symmetric
 * eigendecomposition of the covariance A = Xcᵀ·Xc = V·diag(e)·Vᵀ: W(λ) = V·diag(1/(e+λ))·Vᵀ·Xcᵀ·Y, the bias
 * mean(Y) - mean(X)·W (centring both sides leaves the bias unpenalised). λ is given relative to the mean eigenvalue
 * trace(A)/D, so one grid means the same on any feature scale and row count. Everything is double precision.
 */
public final class RidgeGrid {
    private static final int CHUNK = 4096;

    private final int dim;
    private final int classes;
    private final double[] mean;
    private final double[] targetMean;
    private final double[] eigenvalues;
    private final DMatrixRMaj vectors;
    /** Vᵀ·Xcᵀ·Y, [dim, classes]. */
    private final DMatrixRMaj projected;
    private final double meanEigenvalue;

    private RidgeGrid(int dim, int classes, double[] mean, double[] targetMean, double[] eigenvalues, DMatrixRMaj vectors,
                      DMatrixRMaj projected, double meanEigenvalue) {
        this.dim = dim;
        this.classes = classes;
        this.mean = mean;
        this.targetMean = targetMean;
        this.eigenvalues = eigenvalues;
        this.vectors = vectors;
        this.projected = projected;
        this.meanEigenvalue = meanEigenvalue;
    }

    /** Decomposes the covariance of rows {@code rows} of the row-major matrix {@code x} [*, dim] with labels in [0, classes). */
    public static RidgeGrid fit(float[] x, int dim, int[] labels, int[] rows, int classes) {
        if (rows.length == 0) throw new IllegalArgumentException("ridge needs at least one row");
        double[] mean = new double[dim];
        double[] targetMean = new double[classes];
        for (int r : rows) {
            int o = r * dim;
            for (int d = 0; d < dim; d++) mean[d] += x[o + d];
            targetMean[labels[r]]++;
        }
        for (int d = 0; d < dim; d++) mean[d] /= rows.length;
        for (int c = 0; c < classes; c++) targetMean[c] /= rows.length;

        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        DMatrixRMaj xty = new DMatrixRMaj(dim, classes);
        DMatrixRMaj chunk = new DMatrixRMaj(1, dim);
        for (int start = 0; start < rows.length; start += CHUNK) {
            int n = Math.min(CHUNK, rows.length - start);
            chunk.reshape(n, dim);
            double[] c = chunk.data;
            for (int i = 0; i < n; i++) {
                int r = rows[start + i];
                int o = r * dim;
                for (int d = 0; d < dim; d++) {
                    double v = x[o + d] - mean[d];
                    c[i * dim + d] = v;
                    // Xcᵀ·Yc = Xcᵀ·Y since the centred columns sum to zero
                    xty.data[d * classes + labels[r]] += v;
                }
            }
            CommonOps_DDRM.multAddTransA(chunk, chunk, cov);
        }
        double trace = CommonOps_DDRM.trace(cov);

        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
        if (!eig.decompose(cov)) throw new IllegalStateException("the eigendecomposition of the " + dim + "x" + dim + " covariance failed");
        double[] e = new double[dim];
        DMatrixRMaj v = new DMatrixRMaj(dim, dim);
        for (int k = 0; k < dim; k++) {
            // a positive semi-definite matrix: rounding can leave tiny negative eigenvalues
            e[k] = Math.max(0, eig.getEigenvalue(k).getReal());
            DMatrixRMaj col = eig.getEigenVector(k);
            for (int d = 0; d < dim; d++) v.set(d, k, col.get(d, 0));
        }
        DMatrixRMaj projected = new DMatrixRMaj(dim, classes);
        CommonOps_DDRM.multTransA(v, xty, projected);
        // constant features have no scale: any positive λ then gives W = 0
        double meanEigenvalue = trace > 0 ? trace / dim : 1;
        return new RidgeGrid(dim, classes, mean, targetMean, e, v, projected, meanEigenvalue);
    }

    /** The absolute L2 strength of a relative one. */
    public double absolute(double relative) {
        return relative * meanEigenvalue;
    }

    /** The ridge solution for the relative strength {@code relative} (> 0), in raw feature space. */
    public LinearModel model(double relative) {
        if (!(relative > 0)) throw new IllegalArgumentException("ridge L2 strength must be > 0, got " + relative);
        double lambda = absolute(relative);
        DMatrixRMaj scaled = new DMatrixRMaj(dim, classes);
        for (int k = 0; k < dim; k++) {
            double s = 1.0 / (eigenvalues[k] + lambda);
            for (int c = 0; c < classes; c++) scaled.data[k * classes + c] = projected.data[k * classes + c] * s;
        }
        DMatrixRMaj w = new DMatrixRMaj(dim, classes);
        CommonOps_DDRM.mult(vectors, scaled, w);
        double[] bias = targetMean.clone();
        for (int d = 0; d < dim; d++) {
            for (int c = 0; c < classes; c++) bias[c] -= mean[d] * w.data[d * classes + c];
        }
        return new LinearModel(w.data, bias, dim, classes);
    }
}
