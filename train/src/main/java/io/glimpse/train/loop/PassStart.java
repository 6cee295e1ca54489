package io.glimpse.train.loop;

/** What {@link ProbeTrainer} does with a pass of the same request already in the runs folder. */
public enum PassStart {
    /** Continue an unfinished pass from its last checkpoint; return a finished pass's results without training. */
    RESUME,
    /** Train from the first epoch: an unfinished pass is discarded, a finished pass's runs are kept beside the new ones. */
    FRESH
}
