package io.glimpse.eval.closedform;

import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.knn.KnnFeature;

import java.util.Arrays;

/**
 * One closed-form probe fit: which probe, on which layer and vector ({@code pool}: CLS or patch mean), the relative
 * L2 grid, and the rows: {@code shots} per class (0 = all) of which a seeded, class-balanced {@code valFraction}
 * is held out to choose the strength.
 */
public record ClosedFormSettings(ClosedFormProbe probe, String layer, KnnFeature pool, double[] grid, double valFraction,
                                 int shots, long seed) {
    public static final double DEFAULT_VAL_FRACTION = 0.1;

    public ClosedFormSettings {
        grid = grid.clone();
        Arrays.sort(grid);
        if (grid.length == 0) throw new EvalInputException("--l2: no strength given");
        for (double v : grid) {
            if (!(v > 0) || Double.isInfinite(v)) throw new EvalInputException("--l2 values must be finite and > 0, got " + v);
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new EvalInputException("--val-fraction must be in (0, 1) for --probe " + probe.label() + ", got " + valFraction);
        }
    }
}
