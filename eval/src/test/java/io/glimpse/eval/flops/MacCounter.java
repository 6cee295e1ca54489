package io.glimpse.eval.flops;

/**
 * Counts the multiply-adds a forward actually executes, in plain Java loops. Every product goes through
 * {@link #matVec} or {@link #dot}; what is counted is what ran, not a formula. Products of parameters alone
 * (a learned query through a projection) run once per batch and are booked apart, as the convention of
 * docs/heads.md#flops leaves them out of the per-sample count.
 */
final class MacCounter {
    long perSample;
    long perBatch;
    private boolean parametersOnly;

    /** Runs {@code work} with its products booked as parameter-only (once per batch). */
    void parametersOnly(Runnable work) {
        parametersOnly = true;
        try {
            work.run();
        } finally {
            parametersOnly = false;
        }
    }

    private void add(long macs) {
        if (parametersOnly) perBatch += macs;
        else perSample += macs;
    }

    /** a[ao .. ao+n) . b; n multiply-adds. */
    double dot(float[] a, int ao, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) s += a[ao + i] * b[i];
        add(b.length);
        return s;
    }

    /** y = W^T x over rows [row0, row0+rows) of W [*, cols]: y[j] = sum_i x[i] W[row0+i, j]; rows*cols multiply-adds. */
    double[] transposedMatVec(float[] w, int row0, int rows, int cols, double[] x) {
        double[] y = new double[cols];
        for (int i = 0; i < rows; i++) {
            int base = (row0 + i) * cols;
            for (int j = 0; j < cols; j++) y[j] += x[i] * w[base + j];
        }
        add((long) rows * cols);
        return y;
    }

    /** y = W x (+ bias): W [out, in] row-major starting at row {@code row0}; out*in multiply-adds. */
    double[] matVec(float[] w, int row0, int out, int in, double[] x, float[] bias, int bias0) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = bias == null ? 0 : bias[bias0 + o];
            int base = (row0 + o) * in;
            for (int i = 0; i < in; i++) s += w[base + i] * x[i];
            y[o] = s;
        }
        add((long) out * in);
        return y;
    }

    /** Weighted sum of rows: sum_n a[n] * x[n] (rows of width d); n*d multiply-adds. */
    double[] weightedRows(double[] a, double[][] x) {
        int d = x[0].length;
        double[] y = new double[d];
        for (int n = 0; n < a.length; n++) {
            for (int i = 0; i < d; i++) y[i] += a[n] * x[n][i];
        }
        add((long) a.length * d);
        return y;
    }
}
