package io.glimpse.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cli.CliInputException;
import io.glimpse.cli.CompleteEntries;
import io.glimpse.eval.knn.KnnRunWriter;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.Extractor;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The train and test caches an eval command reads, found one of three ways: the caches a trained run used (its
 * result.json's {@code cache_key}/{@code test_cache_key}), two explicit keys, or (backbone, dataset) resolved
 * through the extract stage, which extracts what is missing. This is where cli wires extract to eval.
 */
record EvalCaches(TokenCache train, TokenCache test) implements AutoCloseable {

    static EvalCaches fromRun(CacheStore store, Path runDir) {
        Path file = Files.isDirectory(runDir) ? runDir.resolve("result.json") : runDir;
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new CliInputException("--run " + runDir + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        String train = json.path("cache_key").asText(null);
        String test = json.path("test_cache_key").asText(null);
        if (train == null || test == null) {
            throw new CliInputException("--run " + runDir + ": " + file + " does not name its caches (cache_key, test_cache_key)");
        }
        return fromKeys(store, train, test);
    }

    static EvalCaches fromKeys(CacheStore store, String trainKey, String testKey) {
        TokenCache train = CompleteEntries.open(store, trainKey, "--train-cache");
        try {
            return new EvalCaches(train, CompleteEntries.open(store, testKey, "--test-cache"));
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
    }

    static EvalCaches fromConfigs(CacheStore store, String backbone, String dataset, List<String> layers, PrintWriter out) {
        BackboneOptions options = new BackboneOptions(0, DeviceChoice.parse("auto"), line -> {
            out.println(line);
            out.flush();
        });
        ExtractRequest base = ExtractRequest.of(BackboneConfigLoader.load(backbone), DatasetConfigLoader.load(dataset),
                "train", options).withLayers(layers).withProgress(true);
        Extractor extractor = new Extractor(store);
        String train = extractor.ensure(base).key().hex();
        String test = extractor.ensure(base.withSplit("test")).key().hex();
        return fromKeys(store, train, test);
    }

    KnnRunWriter.Provenance provenance() {
        Manifest m = train.manifest();
        return new KnnRunWriter.Provenance(m.description().backboneName(), m.description().datasetName(),
                train.key().hex(), test.key().hex(), m.extractSeconds().isPresent() ? m.extractSeconds().getAsDouble() : null);
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }
}
