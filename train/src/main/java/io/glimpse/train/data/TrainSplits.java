package io.glimpse.train.data;

import io.glimpse.cache.CacheView;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.TokenSource;

import java.util.List;
import java.util.Optional;

/**
 * The rows a run trains on and, with {@code --val-fraction}, the rows it selects its epoch on. Order of
 * selection: the first {@code limit} rows, then K per class ({@code --shots}), then the stratified validation
 * hold-out from what remains. Cache sources get zero-copy {@link CacheView}s; any other source (online
 * extraction, tests) is scanned once and the selected rows are held in memory. Without options the source is
 * used as it is.
 */
public record TrainSplits(TokenSource train, Optional<TokenSource> validation) {

    public static TrainSplits prepare(TokenSource base, int limit, double valFraction, int shots, long seed, List<String> layers) {
        if (limit <= 0 && valFraction <= 0 && shots <= 0) return new TrainSplits(base, Optional.empty());
        if (base instanceof TokenCache cache) return fromView(cache.all(), limit, valFraction, shots, seed);
        if (base instanceof CacheView view) return fromView(view, limit, valFraction, shots, seed);
        int[] labels = LabelScan.labels(base);
        int[] rows = allRows(limit > 0 ? Math.min(limit, labels.length) : labels.length);
        if (shots > 0) rows = pick(rows, RowSelection.shotsPerClass(prefix(labels, rows.length), shots, seed));
        if (valFraction <= 0) return new TrainSplits(MaterializedSource.gather(base, rows, layers), Optional.empty());
        RowSelection.Split split = RowSelection.validationSplit(rows, labels, valFraction, seed);
        return new TrainSplits(MaterializedSource.gather(base, split.train(), layers),
                Optional.of(MaterializedSource.gather(base, split.validation(), layers)));
    }

    private static TrainSplits fromView(CacheView view, int limit, double valFraction, int shots, long seed) {
        CacheView v = limit > 0 ? view.firstN(limit) : view;
        if (shots > 0) v = v.kPerClass(shots, seed);
        if (valFraction <= 0) return new TrainSplits(v, Optional.empty());
        CacheView.Split split = v.validationSplit(valFraction, seed);
        return new TrainSplits(split.train(), Optional.of(split.validation()));
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static int[] prefix(int[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    private static int[] pick(int[] rows, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) out[i] = rows[positions[i]];
        return out;
    }
}
