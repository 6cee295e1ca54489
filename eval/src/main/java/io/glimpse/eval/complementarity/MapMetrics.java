package io.glimpse.eval.complementarity;

/**
 * Per-image complementarity metrics, Glimpse's own definitions (docs/result-json.md#complementarity; the paper's
 * were not recoverable). For the M maps a_1..a_M of one image, s_ij = cos(a_i, a_j);
 * avg_similarity = mean over ordered pairs i≠j of s_ij, max_similarity = mean over i of max_{j≠i} s_ij.
 * Entropy is Shannon's, in nats, with 0·ln 0 = 0.
 */
public final class MapMetrics {
    private MapMetrics() {
    }

    /** The M×M cosine-similarity matrix of image b's maps (a zero map has similarity 0 to everything). */
    public static double[][] similarities(AttentionMaps maps, int b) {
        int m = maps.queries();
        int n = maps.tokens();
        float[] v = maps.values();
        double[] norms = new double[m];
        for (int i = 0; i < m; i++) {
            int o = maps.offset(b, i);
            double s = 0;
            for (int t = 0; t < n; t++) s += (double) v[o + t] * v[o + t];
            norms[i] = Math.sqrt(s);
        }
        double[][] sim = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                int oi = maps.offset(b, i);
                int oj = maps.offset(b, j);
                double dot = 0;
                for (int t = 0; t < n; t++) dot += (double) v[oi + t] * v[oj + t];
                double c = norms[i] == 0 || norms[j] == 0 ? 0 : dot / (norms[i] * norms[j]);
                sim[i][j] = c;
                sim[j][i] = c;
            }
        }
        return sim;
    }

    /** Mean of s_ij over ordered pairs i≠j; NaN when M = 1 (no pairs). */
    public static double avgSimilarity(double[][] sim) {
        int m = sim.length;
        if (m < 2) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) if (i != j) sum += sim[i][j];
        }
        return sum / ((double) m * (m - 1));
    }

    /** Mean over i of max_{j≠i} s_ij; NaN when M = 1. */
    public static double maxSimilarity(double[][] sim) {
        int m = sim.length;
        if (m < 2) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) if (i != j) best = Math.max(best, sim[i][j]);
            sum += best;
        }
        return sum / m;
    }

    /** Shannon entropy (nats) of map (b, m). The map is used as given; attention rows already sum to 1. */
    public static double entropy(AttentionMaps maps, int b, int m) {
        int o = maps.offset(b, m);
        double h = 0;
        for (int t = 0; t < maps.tokens(); t++) {
            double p = maps.values()[o + t];
            if (p > 0) h -= p * Math.log(p);
        }
        return h;
    }
}
