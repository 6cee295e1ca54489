package io.glimpse.eval.closedform;

import io.glimpse.eval.knn.KnnFeature;

import java.util.List;

/**
 * A finished closed-form fit: the grid with validation accuracies, the chosen strength, the test accuracies of the
 * refit on every train row (percent), sizes, and seconds (reading the vectors; fitting the grid and the refit).
 */
public record ClosedFormResult(ClosedFormProbe probe, String layer, KnnFeature pool, int fitRows, int valRows, int testRows,
                               int dim, int classes, List<GridPoint> grid, GridPoint chosen, double top1, double top5,
                               double meanPerClass, long params, double featureSeconds, double fitSeconds) {
    public ClosedFormResult {
        grid = List.copyOf(grid);
    }

    /** Rows the final model was fitted on: the selection's train rows plus its held-out ones. */
    public int trainRows() {
        return fitRows + valRows;
    }
}
