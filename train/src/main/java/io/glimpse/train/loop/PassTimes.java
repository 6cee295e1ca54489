package io.glimpse.train.loop;

/** Wall-clock accounting of one pass, shared by its heads: training (no evaluation) and evaluation seconds. */
final class PassTimes {
    double trainSeconds;
    double evalSeconds;
    double lastEpochSeconds;
    long trainSamples;

    double samplesPerSecond() {
        return trainSeconds > 0 ? trainSamples / trainSeconds : 0;
    }
}
