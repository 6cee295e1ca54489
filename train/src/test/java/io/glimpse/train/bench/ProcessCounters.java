package io.glimpse.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's counters from /proc (Linux): user and system CPU seconds, minor page faults, resident memory and its
 * high-water mark. System time and minor faults show whether each step maps and zeroes fresh pages; the high-water
 * mark, reset before a pass, gives the pass's peak memory.
 */
record ProcessCounters(double userSeconds, double systemSeconds, long minorFaults, long rssBytes, long peakRssBytes) {
    private static final double TICKS = 100.0;

    static ProcessCounters now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name "(...)": state is field 3; minflt 10, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long minflt = Long.parseLong(f[10 - 3]);
            long utime = Long.parseLong(f[14 - 3]);
            long stime = Long.parseLong(f[15 - 3]);
            long rss = 0, hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = kib(line);
                if (line.startsWith("VmHWM:")) hwm = kib(line);
            }
            return new ProcessCounters(utime / TICKS, stime / TICKS, minflt, rss, hwm);
        } catch (IOException | RuntimeException e) {
            return new ProcessCounters(Double.NaN, Double.NaN, -1, -1, -1);
        }
    }

    /** Resets the high-water mark to the current resident size (Linux 4.0+); false when not allowed. */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    double cpuSeconds() {
        return userSeconds + systemSeconds;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
