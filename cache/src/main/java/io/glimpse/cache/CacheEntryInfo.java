package io.glimpse.cache;

import io.glimpse.cache.manifest.Manifest;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a listing knows about an entry without opening its shards: status from the manifest (BROKEN with the
 * one-line reason when the manifest cannot be read), bytes on disk, and the pid of a live writer if one holds it.
 */
public record CacheEntryInfo(CacheKey key, Path directory, EntryStatus status, Manifest manifestOrNull, String problem,
                             long bytesOnDisk, OptionalLong writerPid) {

    public Optional<Manifest> manifest() {
        return Optional.ofNullable(manifestOrNull);
    }
}
