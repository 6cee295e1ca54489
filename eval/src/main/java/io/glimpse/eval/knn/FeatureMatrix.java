package io.glimpse.eval.knn;

/** Row vectors [rows, dim] (row-major) with their labels: what k-NN compares. */
public record FeatureMatrix(float[] values, int rows, int dim, int[] labels) {
    public FeatureMatrix {
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException("feature matrix " + rows + "x" + dim + " needs " + (long) rows * dim
                    + " values, got " + values.length);
        }
        if (labels.length != rows) throw new IllegalArgumentException(rows + " rows but " + labels.length + " labels");
    }

    /** Scales every row to unit L2 norm in place (a zero row stays zero), so dot products are cosines. */
    public FeatureMatrix normalizeRows() {
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double s = 0;
            for (int d = 0; d < dim; d++) s += (double) values[o + d] * values[o + d];
            if (s == 0) continue;
            float inv = (float) (1.0 / Math.sqrt(s));
            for (int d = 0; d < dim; d++) values[o + d] *= inv;
        }
        return this;
    }
}
