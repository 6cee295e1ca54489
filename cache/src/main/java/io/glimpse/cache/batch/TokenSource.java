package io.glimpse.cache.batch;

import io.glimpse.cache.TokenLayout;

import java.util.Iterator;
import java.util.List;

/**
 * The one interface the train and eval stages consume tokens through. The cache reader implements it (tokens
 * from memory-mapped shards), and so does the extract stage for the online protocol (backbone in the loop).
 * Implementations with several cached augmented views per image draw one view per image and epoch, seeded.
 */
public interface TokenSource extends AutoCloseable {
    /** Token layout shared by every layer of this source. */
    TokenLayout layout();

    /** Layer names available, e.g. {@code hidden_state_4}; the first is the default. */
    List<String> layers();

    /** Number of distinct samples (images), not counting augmented views. */
    int size();

    /** 1 + the largest label (0 when no labels are known). */
    int numClasses();

    /** Batches of one epoch; the order follows the plan. */
    Iterator<TokenBatch> batches(EpochPlan plan);

    @Override
    void close();
}
