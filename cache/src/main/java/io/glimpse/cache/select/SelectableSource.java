package io.glimpse.cache.select;

import io.glimpse.cache.batch.TokenSource;

/**
 * A {@link TokenSource} that knows its rows' labels without computing any tokens and can narrow itself to some of
 * its rows at no cost, so a {@link RowSelection} is made before a token is read or computed: a cache view maps
 * no more shards than it did, and the online source runs its backbone on the chosen images only.
 */
public interface SelectableSource extends TokenSource {
    /** Label of every row in sequential order (-1 = unlabelled). */
    int[] labels();

    /** The rows at these ascending positions of the sequential order, to train on. */
    TokenSource subset(int[] positions);

    /**
     * The rows at these positions, to evaluate on: each image's plain view (the evaluation transform), never a
     * training augmentation, so held-out accuracy is measured as test accuracy is.
     */
    TokenSource heldOut(int[] positions);
}
