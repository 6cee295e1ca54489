package io.glimpse.cache.read;

import io.glimpse.cache.BadInputException;

import java.util.Locale;

/**
 * How a cache entry's tokens are read. MAPPED gathers rows from memory-mapped shards (fastest once the entry sits in
 * the page cache); STREAM reads each batch's rows with parallel positional reads that bypass the page cache and
 * prefetches the next batches, for entries larger than memory. Both read the same rows in the same order and decode
 * them the same way, so batches are byte-identical. AUTO picks per entry from its size and the memory available.
 */
public enum ReadMode {
    AUTO, MAPPED, STREAM;

    /** Entries above this share of the available memory stream: the rest is left to the process and the OS. */
    static final double STREAM_ABOVE = 0.75;

    /** Parses auto, mapped or stream; the error names the allowed values. */
    public static ReadMode parse(String s, String option) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "mapped" -> MAPPED;
            case "stream" -> STREAM;
            default -> throw new BadInputException(option + ": '" + s + "' is not one of auto, mapped, stream");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode an entry of {@code entryBytes} is read in: this one, unless AUTO, which streams when the entry is larger
     * than {@link #STREAM_ABOVE} of {@code availableBytes} (negative = unknown: mapped, as before streaming existed).
     */
    public ReadMode resolve(long entryBytes, long availableBytes) {
        if (this != AUTO) return this;
        if (availableBytes < 0) return MAPPED;
        return entryBytes > STREAM_ABOVE * availableBytes ? STREAM : MAPPED;
    }
}
