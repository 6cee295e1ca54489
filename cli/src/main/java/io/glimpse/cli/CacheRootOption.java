package io.glimpse.cli;

import io.glimpse.cache.CacheStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --cache DIR} option every stage command shares (a picocli mixin), and the store it names. */
public final class CacheRootOption {
    @Option(names = "--cache", paramLabel = "DIR", description = "cache root (default: $GLIMPSE_CACHE, else ~/.cache/glimpse)")
    Path root;

    /** The root given on the command line, or null for the environment's default. */
    public Path root() {
        return root;
    }

    public CacheStore store() {
        return root != null ? CacheStore.open(root) : CacheStore.fromEnvironment();
    }
}
