package io.glimpse.cache;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;

/**
 * Nice 19 for threads that work beside a compute-bound model (decoding, narrowing, writing, indexing). A model on
 * all cores runs parallel sections that wait for their slowest thread: when a background thread holds a core as a
 * model thread wakes, the whole section waits for the scheduler's time slice, which costs the model several times
 * the background thread's own CPU time. At nice 19 the woken model thread preempts at once, and background work runs
 * in the gaps between the model's sections. On Linux nice is per thread; elsewhere this does nothing.
 */
public final class BackgroundPriority {
    static final int NICE = 19;
    private static final int PRIO_PROCESS = 0;
    private static final LibC LIBC = load();

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    private BackgroundPriority() {
    }

    private static LibC load() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return null;
        try {
            return Native.load("c", LibC.class);
        } catch (Throwable t) { // no JNA native part for this platform: run at normal priority
            return null;
        }
    }

    /** Lowers the calling thread (never raised again: an unprivileged process cannot). */
    public static void lowerCurrentThread() {
        if (LIBC != null) LIBC.setpriority(PRIO_PROCESS, 0, NICE); // who 0 = the calling thread on Linux
    }

    /** Daemon threads named {@code name} that lower themselves before running anything. */
    public static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(() -> {
                lowerCurrentThread();
                r.run();
            }, name);
            t.setDaemon(true); // a pool that is never closed must not keep the JVM alive
            return t;
        };
    }

    /**
     * Lowers the JVM's JIT compiler threads: compiling the pipeline's code in the first seconds of a run would
     * otherwise take whole cores from the model.
     */
    public static void lowerJitCompilers() {
        if (LIBC == null) return;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (NoSuchFileException e) {
                    continue; // the thread ended
                }
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    LIBC.setpriority(PRIO_PROCESS, Integer.parseInt(task.getFileName().toString()), NICE);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: leave the compilers as they are
        }
    }
}
