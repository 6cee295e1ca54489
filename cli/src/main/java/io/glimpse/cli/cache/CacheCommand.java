package io.glimpse.cli.cache;

import io.glimpse.cache.CacheStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code glimpse cache}: list, inspect, verify and remove token cache entries, and write synthetic ones. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Inspect the token cache ($GLIMPSE_CACHE, else ~/.cache/glimpse), or write a synthetic entry.",
        subcommands = {CacheLsCommand.class, CacheInfoCommand.class, CacheVerifyCommand.class, CacheRmCommand.class, CacheSynthCommand.class, CacheVectorsCommand.class,
                CacheScanCommand.class})
public final class CacheCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cache-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Cache root (default: $GLIMPSE_CACHE, else ~/.cache/glimpse).")
    Path cacheDir;

    CacheStore store() {
        return cacheDir != null ? CacheStore.open(cacheDir) : CacheStore.fromEnvironment();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
