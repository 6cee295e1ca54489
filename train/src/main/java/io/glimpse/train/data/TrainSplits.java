package io.glimpse.train.data;

import io.glimpse.cache.batch.TokenSource;

import java.util.List;
import java.util.Optional;

/**
 * The rows a run trains on and, with {@code --val-fraction}, the rows it selects its epoch on. {@code --shots} is
 * applied first (K per class), then the validation hold-out is taken from what remains. Without either option the
 * source is used as it is (no copy).
 */
public record TrainSplits(TokenSource train, Optional<TokenSource> validation) {

    public static TrainSplits prepare(TokenSource base, double valFraction, int shots, long seed, List<String> layers) {
        if (valFraction <= 0 && shots <= 0) return new TrainSplits(base, Optional.empty());
        int[] labels = LabelScan.labels(base);
        int[] rows = shots > 0 ? RowSelection.shotsPerClass(labels, shots, seed) : allRows(labels.length);
        if (valFraction <= 0) return new TrainSplits(MaterializedSource.gather(base, rows, layers), Optional.empty());
        RowSelection.Split split = RowSelection.validationSplit(rows, labels, valFraction, seed);
        return new TrainSplits(MaterializedSource.gather(base, split.train(), layers),
                Optional.of(MaterializedSource.gather(base, split.validation(), layers)));
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
