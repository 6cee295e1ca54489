package io.glimpse.train.data;

import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.cache.select.SelectableSource;

import java.util.List;
import java.util.Optional;

/**
 * The rows a run trains on and, with a validation fraction, the rows it selects its epoch on, chosen by the
 * one {@link RowSelection} rule. A {@link SelectableSource} (cache entries, the online backbone) is narrowed
 * before any token is read or computed; any other source is scanned once for its labels and the chosen rows are
 * copied into memory. Without a selection the source is used as it is.
 */
public record TrainSplits(TokenSource train, Optional<TokenSource> validation) {

    public static TrainSplits prepare(TokenSource base, RowSelection selection, List<String> layers) {
        if (selection.keepsEverything()) return new TrainSplits(base, Optional.empty());
        if (base instanceof SelectableSource s) {
            RowSelection.Rows rows = selection.choose(s.labels());
            return new TrainSplits(s.subset(rows.train()),
                    selection.holdsOut() ? Optional.of(s.heldOut(rows.validation())) : Optional.empty());
        }
        RowSelection.Rows rows = selection.choose(LabelScan.labels(base));
        return new TrainSplits(MaterializedSource.gather(base, rows.train(), layers),
                selection.holdsOut() ? Optional.of(MaterializedSource.gather(base, rows.validation(), layers)) : Optional.empty());
    }
}
