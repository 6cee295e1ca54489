package io.glimpse.cache.batch;

/**
 * How to walk a {@link TokenSource} for one epoch. With {@code shuffle} the order is a permutation drawn from
 * (seed, epoch) only, so the same plan gives the same order on every run and machine. {@code dropLast} drops
 * the final short batch (training); evaluation keeps it.
 */
public record EpochPlan(int batchSize, boolean shuffle, long seed, int epoch, boolean dropLast) {
    public EpochPlan {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }

    /** Sequential, all rows, for evaluation. */
    public static EpochPlan sequential(int batchSize) {
        return new EpochPlan(batchSize, false, 0L, 0, false);
    }
}
