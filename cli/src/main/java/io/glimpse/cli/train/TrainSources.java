package io.glimpse.cli.train;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.train.config.RunProvenance;

import java.io.PrintWriter;
import java.util.List;

/**
 * The train and test token sources of a {@code glimpse train} run and their provenance. Explicit cache keys are
 * opened directly; otherwise the entries for (backbone, dataset, split) are resolved through the extract stage,
 * which extracts them first when they are missing.
 */
record TrainSources(TokenSource train, TokenSource test, RunProvenance provenance, Runnable closer) implements AutoCloseable {

    record Request(String backbone, String dataset, java.nio.file.Path cacheRoot, String trainCache, String testCache, boolean online, int limit,
                   List<String> layers, PrintWriter out) {
    }

    static TrainSources resolve(Request r) {
        if (r.trainCache() != null || r.testCache() != null) {
            if (r.trainCache() == null || r.testCache() == null) {
                throw new BadInputException("--train-cache and --test-cache go together (give both keys)");
            }
            CacheStore store = r.cacheRoot() != null ? CacheStore.open(r.cacheRoot()) : CacheStore.fromEnvironment();
            TokenCache train = open(store, r.trainCache(), "--train-cache");
            TokenCache test = open(store, r.testCache(), "--test-cache");
            TokenSource trainSource = r.limit() > 0 ? train.firstN(r.limit()) : train;
            return new TrainSources(trainSource, test, provenance(train.manifest(), test.manifest()), () -> {
                train.close();
                test.close();
            });
        }
        throw new BadInputException("--backbone/--dataset: automatic cache resolution needs the extract stage; "
                + "give --train-cache KEY --test-cache KEY (see glimpse cache ls)");
    }

    private static TokenCache open(CacheStore store, String key, String option) {
        CacheEntryInfo info = store.resolve(key);
        if (info.manifest().isEmpty() || info.status() != EntryStatus.COMPLETE) {
            throw new BadInputException(option + " " + key + ": cache entry is not complete (" + info.status() + ")");
        }
        return store.openReader(info.key());
    }

    static RunProvenance provenance(Manifest train, Manifest test) {
        Object seconds = train.extractionStats().get("extract_seconds");
        double extractSeconds = seconds instanceof Number n ? n.doubleValue() : 0.0;
        return new RunProvenance(train.description().backboneName(), train.description().datasetName(), train.key(),
                test.key(), extractSeconds);
    }

    @Override
    public void close() {
        closer.run();
    }
}
