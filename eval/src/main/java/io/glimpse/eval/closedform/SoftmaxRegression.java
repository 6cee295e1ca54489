package io.glimpse.eval.closedform;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Multinomial logistic regression on chosen rows of a feature matrix: mean cross-entropy + (l2/2)·|W|² (the bias
 * unpenalised), fitted by {@link Lbfgs}. Every feature is standardised first (centred and divided by its own standard
 * deviation over these rows): backbone features differ in scale by orders of magnitude, which leaves the loss
 * badly conditioned and L-BFGS crawling; standardised, the L2 strength also means the same on any feature scale.
 * The fit in standardised coordinates is the raw-feature problem with the penalty (l2/2)·Σ (σ_d·W_d)², and
 * {@link #model} folds the standardisation back into W and b, so predictions on raw vectors are unchanged.
 * Parameters are W row-major [dim, classes] followed by b [classes].
 */
public final class SoftmaxRegression {
    private static final int BLOCK = 2048;
    private final int dim;
    private final int classes;
    private final int rows;
    private final int[] labels;
    private final double[] mean;
    /** Per-feature standard deviations (1 for a constant feature, which then carries no weight). */
    private final double[] scale;
    /** The standardised rows, row-major [rows, dim]. */
    private final double[] x;
    /** Of the standardised rows' covariance, computed at the first fit. */
    private double[] eigenvalues;
    private double[] eigenvectors;

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
        double[] sq = new double[dim];
        for (int i = 0; i < rows; i++) {
            int o = rowIds[i] * dim;
            for (int d = 0; d < dim; d++) {
                double v = features[o + d] - mean[d];
                x[i * dim + d] = v;
                sq[d] += v * v;
            }
        }
        this.scale = new double[dim];
        for (int d = 0; d < dim; d++) {
            double sd = Math.sqrt(sq[d] / rows);
            scale[d] = sd > 0 ? sd : 1;
        }
        for (int i = 0; i < rows; i++) {
            for (int d = 0; d < dim; d++) x[i * dim + d] /= scale[d];
        }
    }

    /**
     * The absolute strength of a relative one: {@code relative / rows}, so that the penalty weighs as much as
     * {@code relative} rows' loss whatever the row count (relative 1 is scikit-learn's C = 1), and a strength chosen
     * on a hold-out means the same for the refit on every row.
     */
    public static double absolute(double relative, int rows) {
        return relative / rows;
    }

    /** Rows the objective averages over. */
    public int rows() {
        return rows;
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

    /**
     * Summed cross-entropy gradient (W then b) of rows [from, to), and their summed loss as the last element. Rows go
     * four at a time: each weight row W[d, ·] and gradient row is loaded once for four samples, and the loops over
     * the classes are the ones the JIT vectorises: 1.25× the one-row form at 10 classes and D = 128. Each row's
     * logits are summed over d in order as before; the gradient adds four rows' terms at a time, so it differs from
     * the one-row form by rounding only.
     */
    private double[] block(double[] params, int from, int to) {
        int wn = dim * classes;
        double[] out = new double[wn + classes + 1];
        double[] z = new double[4 * classes];
        int i = from;
        for (; i + 4 <= to; i += 4) {
            int x0 = i * dim, x1 = x0 + dim, x2 = x1 + dim, x3 = x2 + dim;
            for (int k = 0; k < 4; k++) System.arraycopy(params, wn, z, k * classes, classes);
            for (int d = 0; d < dim; d++) {
                double v0 = x[x0 + d], v1 = x[x1 + d], v2 = x[x2 + d], v3 = x[x3 + d];
                int wo = d * classes;
                for (int c = 0; c < classes; c++) {
                    double w = params[wo + c];
                    z[c] += v0 * w;
                    z[classes + c] += v1 * w;
                    z[2 * classes + c] += v2 * w;
                    z[3 * classes + c] += v3 * w;
                }
            }
            for (int k = 0; k < 4; k++) out[wn + classes] += residual(z, k * classes, labels[i + k], out, wn);
            for (int d = 0; d < dim; d++) {
                double v0 = x[x0 + d], v1 = x[x1 + d], v2 = x[x2 + d], v3 = x[x3 + d];
                int go = d * classes;
                for (int c = 0; c < classes; c++) {
                    out[go + c] += v0 * z[c] + v1 * z[classes + c] + v2 * z[2 * classes + c] + v3 * z[3 * classes + c];
                }
            }
        }
        for (; i < to; i++) {
            int xo = i * dim;
            System.arraycopy(params, wn, z, 0, classes);
            for (int d = 0; d < dim; d++) {
                double v = x[xo + d];
                int wo = d * classes;
                for (int c = 0; c < classes; c++) z[c] += v * params[wo + c];
            }
            out[wn + classes] += residual(z, 0, labels[i], out, wn);
            for (int d = 0; d < dim; d++) {
                double v = x[xo + d];
                int go = d * classes;
                for (int c = 0; c < classes; c++) out[go + c] += v * z[c];
            }
        }
        return out;
    }

    /**
     * Turns the logits z[at, at+classes) of a row labelled {@code y} into its residual softmax − onehot, adds that to
     * the bias gradient, and returns the row's cross-entropy.
     */
    private double residual(double[] z, int at, int y, double[] out, int wn) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) max = Math.max(max, z[at + c]);
        double zy = z[at + y];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            z[at + c] = Math.exp(z[at + c] - max);
            sum += z[at + c];
        }
        for (int c = 0; c < classes; c++) {
            z[at + c] = z[at + c] / sum - (c == y ? 1 : 0);
            out[wn + c] += z[at + c];
        }
        return Math.log(sum) - (zy - max);
    }

    /**
     * Minimises the objective for {@code l2} from {@code start} (a warm start, or zeros). Standardising fixes the
     * features' scales but not their correlations, which still leave L-BFGS hundreds of iterations on backbone
     * features; so it runs in preconditioned coordinates W = Q·U, b = √C·u, with Q = V·diag(1/√(e/C + l2))·Vᵀ from
     * the eigendecomposition V·diag(e)·Vᵀ of the standardised features' covariance: the loss's Hessian near the
     * start is about (covariance/C) ⊗ I plus l2·I, so in U it is close to the identity. A change of variables, not of
     * the problem: the minimiser is the same, and the stopping rule measures the gradient of W, b (Q amplifies
     * the gradient along weak directions by up to 1/√l2, so U's would demand far more than the problem needs). The
     * result's {@code x} is in W, b.
     */
    public Lbfgs.Result fit(double l2, double[] start, Lbfgs.Settings settings) {
        if (start.length != parameterCount()) throw new IllegalArgumentException("start needs " + parameterCount() + " values");
        Preconditioner q = preconditioner(l2);
        double[] params = new double[parameterCount()];
        Lbfgs.Result r = Lbfgs.minimize((u, gu) -> {
            q.toParams(u, params);
            double value = valueAndGradient(params, gu, l2);
            q.toCoordinates(gu);
            return value;
        }, q.fromParams(start), settings, q::paramsGradientSize);
        double[] x = new double[parameterCount()];
        q.toParams(r.x(), x);
        return new Lbfgs.Result(x, r.value(), r.gradientNorm(), r.iterations(), r.evaluations(), r.converged());
    }

    private Preconditioner preconditioner(double l2) {
        if (eigenvectors == null) decompose();
        double[] up = new double[dim];
        double[] down = new double[dim];
        for (int k = 0; k < dim; k++) {
            double h = eigenvalues[k] / classes + l2;
            up[k] = h > 0 ? 1 / Math.sqrt(h) : 1;
            down[k] = 1 / up[k];
        }
        return new Preconditioner(symmetric(up), symmetric(down), Math.sqrt(classes));
    }

    /** V·diag(d)·Vᵀ, row-major [dim, dim]. */
    private double[] symmetric(double[] d) {
        double[] out = new double[dim * dim];
        double[] v = eigenvectors;
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) s += v[i * dim + k] * d[k] * v[j * dim + k];
                out[i * dim + j] = s;
                out[j * dim + i] = s;
            }
        }
        return out;
    }

    /** The eigendecomposition of the standardised rows' covariance xᵀx / rows (their correlation matrix). */
    private void decompose() {
        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(rows, dim, x), DMatrixRMaj.wrap(rows, dim, x), cov);
        CommonOps_DDRM.scale(1.0 / rows, cov);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
        if (!eig.decompose(cov)) throw new IllegalStateException("the eigendecomposition of the " + dim + "x" + dim + " covariance failed");
        eigenvalues = new double[dim];
        eigenvectors = new double[dim * dim];
        for (int k = 0; k < dim; k++) {
            // positive semi-definite: rounding can leave tiny negative eigenvalues
            eigenvalues[k] = Math.max(0, eig.getEigenvalue(k).getReal());
            DMatrixRMaj col = eig.getEigenVector(k);
            for (int d = 0; d < dim; d++) eigenvectors[d * dim + k] = col.get(d, 0);
        }
    }

    /** W = Q·U (Q symmetric, [dim, dim]) and b = scale·u, with the gradient mapped by the transpose. */
    private final class Preconditioner {
        private final double[] q;
        private final double[] inverse;
        private final double biasScale;

        Preconditioner(double[] q, double[] inverse, double biasScale) {
            this.q = q;
            this.inverse = inverse;
            this.biasScale = biasScale;
        }

        void toParams(double[] u, double[] params) {
            multiply(q, u, params);
            int wn = dim * classes;
            for (int c = 0; c < classes; c++) params[wn + c] = biasScale * u[wn + c];
        }

        double[] fromParams(double[] params) {
            double[] u = new double[params.length];
            multiply(inverse, params, u);
            int wn = dim * classes;
            for (int c = 0; c < classes; c++) u[wn + c] = params[wn + c] / biasScale;
            return u;
        }

        /** ∇U = Qᵀ·∇W, ∇u = scale·∇b, in place. */
        void toCoordinates(double[] gradient) {
            double[] w = Arrays.copyOf(gradient, dim * classes);
            multiply(q, w, gradient);
            int wn = dim * classes;
            for (int c = 0; c < classes; c++) gradient[wn + c] *= biasScale;
        }

        /** The largest component of ∇W, ∇b given ∇U, ∇u (∇W = Q⁻¹·∇U, Q symmetric). */
        double paramsGradientSize(double[] gu) {
            int wn = dim * classes;
            double[] gw = new double[wn];
            multiply(inverse, gu, gw);
            double max = Lbfgs.maxAbs(gw);
            for (int c = 0; c < classes; c++) max = Math.max(max, Math.abs(gu[wn + c] / biasScale));
            return max;
        }

        /** out[W part] = m·in[W part], both [dim, classes] row-major. */
        private void multiply(double[] m, double[] in, double[] out) {
            for (int i = 0; i < dim; i++) {
                int o = i * classes;
                for (int c = 0; c < classes; c++) out[o + c] = 0;
                for (int k = 0; k < dim; k++) {
                    double a = m[i * dim + k];
                    if (a == 0) continue;
                    int io = k * classes;
                    for (int c = 0; c < classes; c++) out[o + c] += a * in[io + c];
                }
            }
        }
    }

    /** The classifier of {@code params} on raw (unstandardised) features. */
    public LinearModel model(double[] params) {
        int wn = dim * classes;
        double[] weights = new double[wn];
        double[] bias = new double[classes];
        System.arraycopy(params, wn, bias, 0, classes);
        for (int d = 0; d < dim; d++) {
            for (int c = 0; c < classes; c++) {
                double v = params[d * classes + c] / scale[d];
                weights[d * classes + c] = v;
                bias[c] -= mean[d] * v;
            }
        }
        return new LinearModel(weights, bias, dim, classes);
    }
}
