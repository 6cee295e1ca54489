package io.glimpse.eval.knn;

import java.util.List;

/** A finished k-NN evaluation: the whole grid, its best cell, sizes, and where the time went. */
public record KnnResult(String layer, KnnFeature feature, int trainSize, int testSize, int dim, int classes,
                       List<KnnCell> grid, KnnCell best, double featureSeconds, double searchSeconds) {
    public KnnResult {
        grid = List.copyOf(grid);
    }
}
