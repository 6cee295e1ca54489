package io.glimpse.cli.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this process's resident memory from /proc/self/status every few milliseconds and keeps the peaks:
 * RssAnon (the process's own memory: heap, direct buffers) apart from RssFile (mapped file pages, which the kernel
 * may reclaim). Reads nothing where /proc is absent (peaks stay -1).
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakAnon = -1;
    private volatile long peakFile = -1;

    RssSampler(long periodMillis) {
        sample();
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "glimpse-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("RssAnon:")) peakAnon = Math.max(peakAnon, kib(line));
                else if (line.startsWith("RssFile:")) peakFile = Math.max(peakFile, kib(line));
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to sample
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]) * 1024;
    }

    long peakAnonBytes() {
        return peakAnon;
    }

    long peakFileBytes() {
        return peakFile;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
