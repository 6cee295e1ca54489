package io.glimpse.train.loop;

/** Wall-clock accounting of one pass, shared by its heads: training (no evaluation) and evaluation seconds. */
final class PassTimes {
    double trainSeconds;
    double trainCpuSeconds;
    double evalSeconds;
    double lastEpochSeconds;
    long trainSamples;

    /** CPU time of the whole process (all threads), seconds. */
    static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    double samplesPerSecond() {
        return trainSeconds > 0 ? trainSamples / trainSeconds : 0;
    }
}
