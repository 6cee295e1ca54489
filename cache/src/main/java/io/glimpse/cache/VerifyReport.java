package io.glimpse.cache;

import java.util.List;

/**
 * Result of checking one entry: checksums, Arrow structure and schema, row counts, index ↔ shards, manifest.
 * Every problem is one line naming the entry and the file.
 */
public record VerifyReport(CacheKey key, EntryStatus status, long rows, int shards, long bytes, List<String> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
