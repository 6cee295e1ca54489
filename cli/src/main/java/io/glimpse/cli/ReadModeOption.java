package io.glimpse.cli;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.read.ReadMode;
import picocli.CommandLine.Option;

/** The {@code --read auto|mapped|stream} option of the commands that read token caches (a picocli mixin). */
public final class ReadModeOption {
    @Option(names = "--read", paramLabel = "MODE", defaultValue = "auto",
            description = "how cached tokens are read: auto (stream an entry larger than 3/4 of the available memory, "
                    + "map the others), mapped (memory-mapped shards) or stream (parallel reads past the page cache, "
                    + "next batches prefetched); default: ${DEFAULT-VALUE}")
    String mode = "auto";

    /** {@code store} opening its readers in the chosen mode; an unknown mode is refused naming --read. */
    public CacheStore apply(CacheStore store) {
        return store.withReadMode(ReadMode.parse(mode, "--read"));
    }
}
