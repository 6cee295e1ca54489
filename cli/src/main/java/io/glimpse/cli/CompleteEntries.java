package io.glimpse.cli;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;

/** Opening a cache entry a user named by key: train and eval commands read only complete entries. */
public final class CompleteEntries {
    private CompleteEntries() {
    }

    /** Opens the entry {@code keyOrPrefix} names; refuses (naming {@code option}) one that is partial or broken. */
    public static TokenCache open(CacheStore store, String keyOrPrefix, String option) {
        CacheEntryInfo info = store.resolve(keyOrPrefix);
        if (info.manifest().isEmpty() || info.status() != EntryStatus.COMPLETE) {
            throw new CliInputException(option + " " + keyOrPrefix + ": cache entry is not complete (" + info.status().label() + ")");
        }
        return store.openReader(info.key());
    }
}
