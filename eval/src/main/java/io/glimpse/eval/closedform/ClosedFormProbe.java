package io.glimpse.eval.closedform;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The linear probes fitted without SGD on one vector per image (CLS or patch mean): ridge regression to one-hot
 * targets, solved for a whole L2 grid from one eigendecomposition, and multinomial logistic regression by L-BFGS.
 */
public enum ClosedFormProbe {
    RIDGE,
    LOGREG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ClosedFormProbe> find(String name) {
        return Arrays.stream(values()).filter(p -> p.label().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ClosedFormProbe::label).toList();
    }

    /** The relative L2 strengths tried by default (see {@link RidgeGrid} and {@link SoftmaxRegression} for the scale). */
    public double[] defaultGrid() {
        return switch (this) {
            // one value a decade from 1e-6 to 1e4 of the mean eigenvalue of the covariance
            case RIDGE -> decades(-6, 4);
            // on standardised features, relative to the row count (SoftmaxRegression.absolute): 1e-2 (almost none)
            // to 1e4 (the penalty outweighs ten thousand rows' loss)
            case LOGREG -> decades(-2, 4);
        };
    }

    private static double[] decades(int from, int to) {
        double[] g = new double[to - from + 1];
        for (int i = 0; i < g.length; i++) g[i] = Math.pow(10, from + i);
        return g;
    }
}
