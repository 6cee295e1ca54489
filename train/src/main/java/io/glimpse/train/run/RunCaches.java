package io.glimpse.train.run;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;
import io.glimpse.train.TrainInputException;

/**
 * The train and test cache entries a run reads, open. Only complete entries are opened: a partial one (an
 * extraction still going or killed) is refused with the option or file that named it.
 */
public record RunCaches(TokenCache train, TokenCache test) implements AutoCloseable {

    /** The entries two keys (or unique key prefixes) name, e.g. {@code --train-cache} and {@code --test-cache}. */
    public static RunCaches open(CacheStore store, String trainKey, String trainOption, String testKey, String testOption) {
        TokenCache train = openComplete(store, trainKey, trainOption);
        try {
            return new RunCaches(train, openComplete(store, testKey, testOption));
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
    }

    /** The entries a finished run was trained and tested on ({@code cache_key}, {@code test_cache_key} of its result). */
    public static RunCaches of(CacheStore store, RunResult run) {
        String source = String.valueOf(run.file() != null ? run.file() : run.runId());
        if (run.cacheKey() == null || run.testCacheKey() == null) {
            throw new TrainInputException(source + ": does not name its caches (cache_key, test_cache_key)");
        }
        return open(store, run.cacheKey(), source + ": cache_key", run.testCacheKey(), source + ": test_cache_key");
    }

    /** Opens the entry {@code keyOrPrefix} names; refuses (naming {@code option}) one that is partial or broken. */
    public static TokenCache openComplete(CacheStore store, String keyOrPrefix, String option) {
        CacheEntryInfo info;
        try {
            info = store.resolve(keyOrPrefix);
        } catch (BadInputException e) {
            throw new BadInputException(option + ": " + e.getMessage());
        }
        if (info.manifest().isEmpty() || info.status() != EntryStatus.COMPLETE) {
            throw new TrainInputException(option + " " + keyOrPrefix + ": cache entry is not complete (" + info.status().label() + ")");
        }
        return store.openReader(info.key());
    }

    /** Backbone, dataset, keys and extraction cost of these entries, for result.json. */
    public RunProvenance provenance() {
        return RunProvenance.of(train.manifest(), test.manifest());
    }

    /** Labels the head must cover: the larger of the two entries' class counts. */
    public int numClasses() {
        return Math.max(train.numClasses(), test.numClasses());
    }

    @Override
    public void close() {
        try {
            train.close();
        } finally {
            test.close();
        }
    }
}
