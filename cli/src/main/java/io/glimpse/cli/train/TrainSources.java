package io.glimpse.cli.train;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cli.CliInputException;
import io.glimpse.cli.CompleteEntries;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import io.glimpse.extract.online.OnlineTokenSource;
import io.glimpse.train.config.RunProvenance;

import java.io.PrintWriter;
import java.util.List;

/**
 * The train and test token sources of a {@code glimpse train} run, their provenance and class count. Explicit
 * cache keys are opened directly; otherwise the entries for (backbone, dataset, split, layers) are resolved
 * through the extract stage, which extracts them first when missing (and returns at once when complete). This is
 * where cli wires extract to train: train itself only sees {@link TokenSource}s.
 */
record TrainSources(TokenSource train, TokenSource test, RunProvenance provenance, int numClasses, Runnable closer)
        implements AutoCloseable {

    record Request(String backbone, String dataset, CacheStore store, String trainCache, String testCache, boolean online,
                   boolean augment, long seed, int limit, int testLimit, String dtype, List<String> layers, PrintWriter out) {
    }

    static TrainSources resolve(Request r) {
        CacheStore store = r.store();
        if (r.trainCache() != null || r.testCache() != null) return explicit(store, r);
        if (r.augment() && !r.online()) {
            throw new CliInputException("--augment needs --online (a cache holds fixed views: extract with --views K instead)");
        }
        BackboneConfig backbone = BackboneConfigLoader.load(r.backbone());
        DatasetConfig dataset = DatasetConfigLoader.load(r.dataset());
        for (String split : List.of("train", "test")) {
            if (!dataset.splits().containsKey(split)) {
                throw new CliInputException("--dataset " + r.dataset() + ": needs a '" + split + "' split, has "
                        + String.join(", ", dataset.splits().keySet()));
            }
        }
        BackboneOptions options = new BackboneOptions(0, io.glimpse.extract.backbone.DeviceChoice.parse("auto"), line -> {
            r.out().println(line);
            r.out().flush();
        });
        if (r.online()) return online(r, backbone, dataset, options);
        Extractor extractor = new Extractor(store);
        TokenDtype dtype;
        try {
            dtype = TokenDtype.parse(r.dtype());
        } catch (IllegalArgumentException e) {
            throw new CliInputException("--dtype: " + e.getMessage());
        }
        ExtractRequest base = ExtractRequest.of(backbone, dataset, "train", options).withLayers(r.layers()).withDtype(dtype)
                .withProgress(true);
        // --limit selects training rows at extraction (its own small entry); --test-limit only reads fewer test rows
        ExtractResult train = extractor.ensure(base.withLimit(r.limit()));
        ExtractResult test = extractor.ensure(base.withSplit("test"));
        for (ExtractResult e : List.of(train, test)) {
            r.out().printf("train: %s cache %s (%d rows, %s)%n", e.split(), e.key().shortForm(), e.rows(),
                    e.reused() ? "reused" : "extracted in " + Math.round(e.seconds()) + " s");
        }
        r.out().flush();
        TokenCache trainCache = store.openReader(train.key());
        TokenCache testCache = store.openReader(test.key());
        TokenSource testSource = r.testLimit() > 0 ? testCache.firstN(r.testLimit()) : testCache;
        RunProvenance prov = new RunProvenance(backbone.name(), dataset.name(), train.key().hex(), test.key().hex(),
                train.extractSeconds());
        return new TrainSources(trainCache, testSource, prov, dataset.classes().size(), () -> {
            trainCache.close();
            testCache.close();
        });
    }

    /** The online protocol: the backbone runs in the loop every epoch (training augmentation with --augment). */
    private static TrainSources online(Request r, BackboneConfig backbone, DatasetConfig dataset, BackboneOptions options) {
        OnlineTokenSource train = OnlineTokenSource.open(backbone, dataset, "train", r.layers(), r.augment(), r.seed(), r.limit(), options);
        OnlineTokenSource test;
        try {
            test = OnlineTokenSource.open(backbone, dataset, "test", r.layers(), false, r.seed(), r.testLimit(), options);
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
        RunProvenance prov = new RunProvenance(backbone.name(), dataset.name(), r.augment() ? "online-augmented" : "online",
                "online", 0.0);
        return new TrainSources(train, test, prov, dataset.classes().size(), () -> {
            train.close();
            test.close();
        });
    }

    private static TrainSources explicit(CacheStore store, Request r) {
        if (r.trainCache() == null || r.testCache() == null) {
            throw new CliInputException("--train-cache and --test-cache go together (give both keys)");
        }
        TokenCache train = CompleteEntries.open(store, r.trainCache(), "--train-cache");
        TokenCache test = CompleteEntries.open(store, r.testCache(), "--test-cache");
        TokenSource trainSource = r.limit() > 0 ? train.firstN(r.limit()) : train;
        TokenSource testSource = r.testLimit() > 0 ? test.firstN(r.testLimit()) : test;
        return new TrainSources(trainSource, testSource, provenance(train.manifest(), test.manifest()), 0, () -> {
            train.close();
            test.close();
        });
    }

    static RunProvenance provenance(Manifest train, Manifest test) {
        return new RunProvenance(train.description().backboneName(), train.description().datasetName(), train.key(),
                test.key(), train.extractSeconds().orElse(0));
    }

    @Override
    public void close() {
        closer.run();
    }
}
