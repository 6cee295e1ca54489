package io.glimpse.eval.knn;

import java.util.Arrays;

/**
 * What one k-NN evaluation sweeps: the cached layer, the feature, and the (k, T) grid. Defaults are the grid of
 * docs/heads.md#knn: k 5, 10, 20, 50, 100, 200; T 0.07, 0.1, 0.2.
 */
public record KnnSettings(String layer, KnnFeature feature, int[] ks, double[] temperatures) {
    public static final int[] DEFAULT_KS = {5, 10, 20, 50, 100, 200};
    public static final double[] DEFAULT_TEMPERATURES = {0.07, 0.1, 0.2};

    public KnnSettings {
        ks = ks.clone();
        temperatures = temperatures.clone();
        Arrays.sort(ks);
        if (ks.length == 0 || ks[0] < 1) throw new IllegalArgumentException("--k values must be >= 1, got " + Arrays.toString(ks));
        for (int i = 1; i < ks.length; i++) {
            if (ks[i] == ks[i - 1]) throw new IllegalArgumentException("--k repeats " + ks[i]);
        }
        for (double t : temperatures) {
            if (!(t > 0)) throw new IllegalArgumentException("--temperature values must be > 0, got " + t);
        }
        if (temperatures.length == 0) throw new IllegalArgumentException("--temperature needs at least one value");
    }

    /** The ks that fit a train set of {@code rows} (a tiny --limit cache cannot have 200 neighbours). */
    int[] ksUpTo(int rows) {
        return Arrays.stream(ks).filter(k -> k <= rows).toArray();
    }
}
