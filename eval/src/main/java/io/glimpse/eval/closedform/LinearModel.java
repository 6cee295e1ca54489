package io.glimpse.eval.closedform;

/**
 * A fitted linear classifier in the original feature space: scores = x·W + b, W row-major [dim, classes]. Centring
 * and scaling used while fitting are folded into W and b, so callers feed raw vectors.
 */
public record LinearModel(double[] weights, double[] bias, int dim, int classes) {
    public LinearModel {
        if (weights.length != dim * classes) throw new IllegalArgumentException("weights need " + dim * classes + " values, got " + weights.length);
        if (bias.length != classes) throw new IllegalArgumentException("bias needs " + classes + " values, got " + bias.length);
    }

    /** The scores of the rows {@code rows} of a row-major float matrix [*, dim], as [rows.length, classes]. */
    public double[] scores(float[] x, int[] rows) {
        double[] out = new double[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            int o = i * classes;
            System.arraycopy(bias, 0, out, o, classes);
            int xo = rows[i] * dim;
            for (int d = 0; d < dim; d++) {
                double v = x[xo + d];
                if (v == 0) continue;
                int wo = d * classes;
                for (int c = 0; c < classes; c++) out[o + c] += v * weights[wo + c];
            }
        }
        return out;
    }

    public long params() {
        return (long) dim * classes + classes;
    }
}
