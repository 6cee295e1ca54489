package io.glimpse.eval.closedform;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Multinomial logistic regression on chosen rows of a feature matrix: mean cross-entropy + (l2/2)·|W|² (the bias
 * unpenalised), fitted by {@link Lbfgs}. Features are standardised first (centred, and divided by one scale, the
 * root of the mean variance), so the L2 strength means the same on any feature scale and L-BFGS starts well
 * conditioned; {@link #model} folds the standardisation back into W and b. Parameters are W row-major
 * [dim, classes] followed by b [classes].
 */
public final class SoftmaxRegression {
    private static final int BLOCK = 2048;
    private final int dim;
    private final int classes;
    private final int rows;
    private final int[] labels;
    private final double[] mean;
    private final double scale;
    /** The standardised rows, row-major [rows, dim]. */
    private final double[] x;

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
        this.x = new double[Math.multiplyExact(rows, dim)];
        double sq = 0;
        for (int i = 0; i < rows; i++) {
            int o = rowIds[i] * dim;
            for (int d = 0; d < dim; d++) {
                double v = features[o + d] - mean[d];
                x[i * dim + d] = v;
                sq += v * v;
            }
        }
        double meanVariance = sq / ((double) rows * dim);
        this.scale = meanVariance > 0 ? Math.sqrt(meanVariance) : 1;
        for (int k = 0; k < x.length; k++) x[k] /= scale;
    }

    public int parameterCount() {
        return dim * classes + classes;
    }

    /** The objective at {@code params} for strength {@code l2}; writes its gradient into {@code gradient}. */
    public double valueAndGradient(double[] params, double[] gradient, double l2) {
        int wn = dim * classes;
        int blocks = (rows + BLOCK - 1) / BLOCK;
        // row blocks in parallel, each with its own partial gradient; summed in block order, so the result does not
        // depend on the thread count
        double[][] partial = new double[blocks][];
        IntStream.range(0, blocks).parallel().forEach(b -> partial[b] = block(params, b * BLOCK, Math.min(rows, (b + 1) * BLOCK)));
        Arrays.fill(gradient, 0);
        double loss = 0;
        for (double[] p : partial) {
            for (int k = 0; k < gradient.length; k++) gradient[k] += p[k];
            loss += p[gradient.length];
        }
        double penalty = 0;
        for (int k = 0; k < gradient.length; k++) gradient[k] /= rows;
        for (int k = 0; k < wn; k++) {
            gradient[k] += l2 * params[k];
            penalty += params[k] * params[k];
        }
        return loss / rows + 0.5 * l2 * penalty;
    }

    /** Summed cross-entropy gradient (W then b) of rows [from, to), and their summed loss as the last element. */
    private double[] block(double[] params, int from, int to) {
        int wn = dim * classes;
        double[] out = new double[wn + classes + 1];
        double[] z = new double[classes];
        for (int i = from; i < to; i++) {
            int xo = i * dim;
            System.arraycopy(params, wn, z, 0, classes);
            for (int d = 0; d < dim; d++) {
                double v = x[xo + d];
                int wo = d * classes;
                for (int c = 0; c < classes; c++) z[c] += v * params[wo + c];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, z[c]);
            int y = labels[i];
            double zy = z[y];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            out[wn + classes] += Math.log(sum) - (zy - max);
            // z becomes the residual softmax - onehot
            for (int c = 0; c < classes; c++) {
                z[c] = z[c] / sum - (c == y ? 1 : 0);
                out[wn + c] += z[c];
            }
            for (int d = 0; d < dim; d++) {
                double v = x[xo + d];
                int go = d * classes;
                for (int c = 0; c < classes; c++) out[go + c] += v * z[c];
            }
        }
        return out;
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
