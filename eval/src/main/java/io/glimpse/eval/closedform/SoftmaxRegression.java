package io.glimpse.eval.closedform;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Multinomial logistic regression on chosen rows of a feature matrix: mean cross-entropy + (l2/2)·|W|² (the bias
 * unpenalised), fitted by {@link Lbfgs}. Features are standardised first (centred, and divided by one scale, the
 * root of the mean variance), so the L2 strength means the same on any feature scale and L-BFGS starts well
 * conditioned; {@link #model} folds the standardisation back into W and b. Parameters are W row-major
 * [dim, classes] followed by b [classes].
 */
public final class SoftmaxRegression {
    private final int dim;
    private final int classes;
    private final int rows;
    private final int[] labels;
    private final double[] mean;
    private final double scale;
    /** The standardised rows, [rows, dim]. */
    private final DMatrixRMaj x;
    private final DMatrixRMaj w;
    private final DMatrixRMaj z;
    private final DMatrixRMaj gw;

    public SoftmaxRegression(float[] features, int dim, int[] allLabels, int[] rowIds, int classes) {
        if (rowIds.length == 0) throw new IllegalArgumentException("logistic regression needs at least one row");
        this.dim = dim;
        this.classes = classes;
        this.rows = rowIds.length;
        this.labels = new int[rows];
        this.mean = new double[dim];
        for (int i = 0; i < rows; i++) {
            labels[i] = allLabels[rowIds[i]];
            int o = rowIds[i] * dim;
            for (int d = 0; d < dim; d++) mean[d] += features[o + d];
        }
        for (int d = 0; d < dim; d++) mean[d] /= rows;
        this.x = new DMatrixRMaj(rows, dim);
        double sq = 0;
        for (int i = 0; i < rows; i++) {
            int o = rowIds[i] * dim;
            for (int d = 0; d < dim; d++) {
                double v = features[o + d] - mean[d];
                x.data[i * dim + d] = v;
                sq += v * v;
            }
        }
        double meanVariance = sq / ((double) rows * dim);
        this.scale = meanVariance > 0 ? Math.sqrt(meanVariance) : 1;
        CommonOps_DDRM.scale(1 / scale, x);
        this.w = new DMatrixRMaj(dim, classes);
        this.z = new DMatrixRMaj(rows, classes);
        this.gw = new DMatrixRMaj(dim, classes);
    }

    public int parameterCount() {
        return dim * classes + classes;
    }

    /** The objective at {@code params} for strength {@code l2}; writes its gradient into {@code gradient}. */
    public double valueAndGradient(double[] params, double[] gradient, double l2) {
        int wn = dim * classes;
        System.arraycopy(params, 0, w.data, 0, wn);
        CommonOps_DDRM.mult(x, w, z);
        double loss = 0;
        double[] bGrad = new double[classes];
        double[] zd = z.data;
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                zd[o + c] += params[wn + c];
                max = Math.max(max, zd[o + c]);
            }
            int y = labels[i];
            double zy = zd[o + y];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(zd[o + c] - max);
                zd[o + c] = e;
                sum += e;
            }
            loss += Math.log(sum) - (zy - max);
            // z becomes the residual softmax - onehot, scaled by 1/n
            for (int c = 0; c < classes; c++) {
                double r = (zd[o + c] / sum - (c == y ? 1 : 0)) / rows;
                zd[o + c] = r;
                bGrad[c] += r;
            }
        }
        CommonOps_DDRM.multTransA(x, z, gw);
        double penalty = 0;
        for (int k = 0; k < wn; k++) {
            gradient[k] = gw.data[k] + l2 * params[k];
            penalty += params[k] * params[k];
        }
        System.arraycopy(bGrad, 0, gradient, wn, classes);
        return loss / rows + 0.5 * l2 * penalty;
    }

    /** Minimises the objective for {@code l2} from {@code start} (a warm start, or zeros). */
    public Lbfgs.Result fit(double l2, double[] start, Lbfgs.Settings settings) {
        if (start.length != parameterCount()) throw new IllegalArgumentException("start needs " + parameterCount() + " values");
        return Lbfgs.minimize((p, g) -> valueAndGradient(p, g, l2), start, settings);
    }

    /** The classifier of {@code params} on raw (unstandardised) features. */
    public LinearModel model(double[] params) {
        int wn = dim * classes;
        double[] weights = new double[wn];
        double[] bias = new double[classes];
        System.arraycopy(params, wn, bias, 0, classes);
        for (int d = 0; d < dim; d++) {
            for (int c = 0; c < classes; c++) {
                double v = params[d * classes + c] / scale;
                weights[d * classes + c] = v;
                bias[c] -= mean[d] * v;
            }
        }
        return new LinearModel(weights, bias, dim, classes);
    }
}
