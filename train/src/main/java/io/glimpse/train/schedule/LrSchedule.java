package io.glimpse.train.schedule;

/** Learning rate as a function of training progress, set before every optimizer step. */
public interface LrSchedule {
    /** The learning rate for step {@code iteration} (0-based) of {@code epoch} (0-based). */
    double lr(int epoch, int iteration);

    /** A name for result.json's recipe. */
    String name();
}
