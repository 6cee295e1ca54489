package io.glimpse.cli.train;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cli.CliInputException;
import io.glimpse.cli.CommandCaches;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.online.OnlineTokenSource;
import io.glimpse.train.run.RunCaches;
import io.glimpse.train.run.RunProvenance;

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
        if (CommandCaches.named(r.trainCache(), r.testCache())) return named(store, r);
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
        BackboneOptions options = CommandCaches.backboneOptions(r.out());
        if (r.online()) return online(r, backbone, dataset, options);
        TokenDtype dtype;
        try {
            dtype = TokenDtype.parse(r.dtype());
        } catch (IllegalArgumentException e) {
            throw new CliInputException("--dtype: " + e.getMessage());
        }
        ExtractRequest base = ExtractRequest.of(backbone, dataset, "train", options).withLayers(r.layers()).withDtype(dtype)
                .withProgress(true);
        // --limit selects training rows at extraction (its own small entry); --test-limit only reads fewer test rows
        RunCaches caches = CommandCaches.ensure(store, base, r.limit(), "train", r.out());
        TokenSource testSource = r.testLimit() > 0 ? caches.test().firstN(r.testLimit()) : caches.test();
        return new TrainSources(caches.train(), testSource, caches.provenance(), dataset.classes().size(), caches::close);
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
        // no cache keys: the test key names the model and both splits' contents, so a pass resumed after either
        // changed is a different pass (the train key keeps saying which online protocol ran)
        RunProvenance prov = new RunProvenance(backbone.name(), dataset.name(), r.augment() ? "online-augmented" : "online",
                "online train " + train.origin() + " test " + test.origin(), 0.0);
        return new TrainSources(train, test, prov, dataset.classes().size(), () -> {
            train.close();
            test.close();
        });
    }

    private static TrainSources named(CacheStore store, Request r) {
        RunCaches caches = CommandCaches.open(store, r.trainCache(), r.testCache());
        CommandCaches.reportStreaming(caches, "train", r.out());
        TokenSource trainSource = r.limit() > 0 ? caches.train().firstN(r.limit()) : caches.train();
        TokenSource testSource = r.testLimit() > 0 ? caches.test().firstN(r.testLimit()) : caches.test();
        return new TrainSources(trainSource, testSource, caches.provenance(), 0, caches::close);
    }

    @Override
    public void close() {
        closer.run();
    }
}
