package io.glimpse.cache;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundPriorityTest {
    /** The calling thread's nice value, from /proc/thread-self/stat (field 19). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void poolThreadsRunAtNice19AndTheCallerKeepsItsPriority() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "needs Linux /proc");
        int before = niceOfThisThread();
        ExecutorService pool = Executors.newSingleThreadExecutor(BackgroundPriority.daemonThreads("test-background"));
        try {
            int[] seen = pool.submit(() -> new int[] {niceOfThisThread(), Thread.currentThread().isDaemon() ? 1 : 0}).get();
            assertEquals(BackgroundPriority.NICE, seen[0], "a pool thread's nice value");
            assertEquals(1, seen[1], "pool threads are daemons");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(before, niceOfThisThread(), "nice is per thread: the caller's must not change");
    }
}
