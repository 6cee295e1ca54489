package io.glimpse.train.loop;

/**
 * One head's epoch (1-based): lr at its last step, mean training loss, test top-1/top-5 in percent, validation
 * top-1 (NaN without a validation split), the training seconds of the pass (evaluation excluded) and the test
 * mean-per-class top-1 in percent.
 */
public record EpochRecord(int epoch, double lr, double loss, double top1, double top5, double valTop1, double seconds,
                          double meanPerClass) {
}
