package io.glimpse.cache.store;

import io.glimpse.cache.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Refuses, before anything is written, a write that visibly cannot fit on the disk holding the cache root. */
public final class FreeSpace {
    private FreeSpace() {
    }

    /** Throws a one-line {@link BadInputException} naming {@code what} when fewer than {@code bytes} are free. */
    public static void require(Path root, long bytes, String what) {
        if (bytes <= 0) return;
        long free = usable(root);
        if (free < bytes) {
            throw new BadInputException("not enough disk space for " + what + ": needs about " + gib(bytes) + ", "
                    + gib(free) + " free on " + root);
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

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
