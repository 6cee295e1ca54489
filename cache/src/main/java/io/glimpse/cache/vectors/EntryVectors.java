package io.glimpse.cache.vectors;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenCache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds, checks and (re)builds an entry's vector sidecar ({@code vectors.arrow} + {@code vectors.json}). A missing
 * sidecar is built; a damaged or stale one is reported in one line through the progress listener's reason and
 * rebuilt, never used.
 */
public final class EntryVectors {
    private EntryVectors() {
    }

    /** Whether the entry in {@code entryDir} has sidecar files at all (sound or not). */
    public static boolean present(Path entryDir) {
        return Files.exists(entryDir.resolve(VectorRecord.FILE)) || Files.exists(entryDir.resolve(VectorRecord.DATA_FILE));
    }

    /** The sidecar's problem in one line, or empty when it is sound; a missing sidecar is a problem too. */
    public static Optional<String> problem(TokenCache cache) {
        try {
            MappedVectors.open(cache.directory(), cache.manifest(), where(cache));
            return Optional.empty();
        } catch (BadInputException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The sound sidecar of {@code cache}, built first when missing or damaged. */
    public static MappedVectors ensure(TokenCache cache, VectorBuildProgress progress) {
        String reason;
        if (!present(cache.directory())) {
            reason = "missing";
        } else {
            try {
                return MappedVectors.open(cache.directory(), cache.manifest(), where(cache));
            } catch (BadInputException e) {
                reason = e.getMessage();
            }
        }
        return rebuild(cache, progress, reason);
    }

    /** Builds the sidecar anew (whatever is there) and opens it. */
    public static MappedVectors rebuild(TokenCache cache, VectorBuildProgress progress, String reason) {
        progress.start(where(cache), cache.rows(), reason);
        try {
            new VectorBuilder(Math.max(1, Runtime.getRuntime().availableProcessors())).build(cache, progress);
        } finally {
            progress.end();
        }
        return MappedVectors.open(cache.directory(), cache.manifest(), where(cache));
    }

    private static String where(TokenCache cache) {
        return "cache entry " + cache.key().shortForm();
    }
}
