package io.glimpse.cache;

import java.util.Locale;

/**
 * State of a cache entry. PARTIAL: some shards are committed and a writer may resume; COMPLETE: every row is
 * durable and the entry is read-only from now on; BROKEN is never written, it is what listings report for an entry
 * whose manifest cannot be read.
 */
public enum EntryStatus {
    PARTIAL, COMPLETE, BROKEN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EntryStatus parse(String s) {
        for (EntryStatus v : values()) {
            if (v.label().equals(s)) return v;
        }
        throw new IllegalArgumentException("status '" + s + "' is not one of partial, complete");
    }
}
