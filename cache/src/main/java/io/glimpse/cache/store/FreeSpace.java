package io.glimpse.cache.store;

import io.glimpse.cache.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** Refuses, before anything is written, a write that visibly cannot fit on the disk holding the cache root. */
public final class FreeSpace {
    private FreeSpace() {
    }

    /** Throws a one-line {@link BadInputException} naming {@code what} when fewer than {@code bytes} are free. */
    public static void require(Path root, long bytes, String what) {
        require(root, bytes, what, FreeSpace::usable);
    }

    /** As {@link #require(Path, long, String)}, asking {@code usable} for the free bytes (a test can pretend a full disk). */
    public static void require(Path root, long bytes, String what, ToLongFunction<Path> usable) {
        if (bytes <= 0) return;
        long free = usable.applyAsLong(root);
        if (free < bytes) {
            throw new BadInputException("not enough disk space for " + what + ": needs about " + size(bytes) + ", "
                    + size(free) + " free on " + root);
        }
    }

    /** Usable bytes on the file system of {@code path}, or of its nearest existing parent (the root may not exist yet). */
    public static long usable(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) return Long.MAX_VALUE;
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: let the write itself find out
        }
    }

    /** GiB for large sizes, else MiB, so that a small need next to a small free space does not read "0.0 vs 0.0". */
    private static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }
}
