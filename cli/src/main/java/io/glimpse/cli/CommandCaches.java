package io.glimpse.cli;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.read.ReadMode;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import io.glimpse.train.run.RunCaches;

import java.io.PrintWriter;
import java.util.List;

/**
 * The train and test caches a command reads: the two entries {@code --train-cache} and {@code --test-cache} name, or
 * the entries of (backbone, dataset, layers) that the extract stage ensures, extracting what is missing (and
 * returning at once when complete). This is where cli wires extract to train and eval: they only see open caches.
 */
public final class CommandCaches {
    private CommandCaches() {
    }

    /** True when the command named its caches by key; refuses one key without the other. */
    public static boolean named(String trainKey, String testKey) {
        if ((trainKey == null) != (testKey == null)) {
            throw new CliInputException("--train-cache and --test-cache go together (give both keys)");
        }
        return trainKey != null;
    }

    /** The entries {@code --train-cache} and {@code --test-cache} name (keys or unique prefixes). */
    public static RunCaches open(CacheStore store, String trainKey, String testKey) {
        named(trainKey, testKey);
        return RunCaches.open(store, trainKey, "--train-cache", testKey, "--test-cache");
    }

    /**
     * The train entry of {@code base} (its first {@code trainLimit} images, 0 = all) and the test entry of the same
     * request, extracted when missing; one line per split on {@code out}, prefixed with the command's name.
     */
    public static RunCaches ensure(CacheStore store, ExtractRequest base, int trainLimit, String command, PrintWriter out) {
        Extractor extractor = new Extractor(store);
        ExtractResult train = extractor.ensure(base.withSplit("train").withLimit(trainLimit));
        ExtractResult test = extractor.ensure(base.withSplit("test"));
        for (ExtractResult e : List.of(train, test)) {
            out.printf("%s: %s cache %s (%d rows, %s)%n", command, e.split(), e.key().shortForm(), e.rows(),
                    e.reused() ? "reused" : "extracted in " + Math.round(e.seconds()) + " s");
        }
        out.flush();
        RunCaches caches = RunCaches.open(store, train.key().hex(), "train cache", test.key().hex(), "test cache");
        reportStreaming(caches, command, out);
        return caches;
    }

    /** One line per entry read in stream mode (too large for memory, or forced), so a slower first epoch is explained. */
    public static void reportStreaming(RunCaches caches, String command, PrintWriter out) {
        for (TokenCache c : List.of(caches.train(), caches.test())) {
            if (c.readMode() == ReadMode.STREAM) out.println(command + ": " + c.readModeReason());
        }
        out.flush();
    }

    /** Backbone options of a command: device chosen automatically, the backbone's notices printed on {@code out}. */
    public static BackboneOptions backboneOptions(PrintWriter out) {
        return new BackboneOptions(0, DeviceChoice.parse("auto"), line -> {
            out.println(line);
            out.flush();
        });
    }
}
