package io.glimpse.cli.cache;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.VectorRecord;
import io.glimpse.cli.VectorBuildBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code glimpse cache vectors KEY}: makes sure a complete entry has a sound vector sidecar (its CLS and patch-mean
 * vectors per row and layer), building it when missing or damaged, or anew with {@code --force}.
 */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = "Build (if missing or damaged) the CLS / patch-mean vectors of an entry, which CLS-only and mean-only passes read instead of the tokens.")
final class CacheVectorsCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "Cache key or unique prefix.")
    String key;

    @Option(names = "--force", description = "rebuild even when the sidecar is sound")
    boolean force;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CacheStore store = parent.store();
        CacheEntryInfo info = store.resolve(key);
        try (TokenCache cache = store.openReader(info.key())) {
            VectorBuildBar bar = new VectorBuildBar(out, quiet);
            Optional<String> problem = force ? Optional.of("--force") : EntryVectors.problem(cache);
            if (problem.isPresent()) {
                EntryVectors.rebuild(cache, bar, EntryVectors.present(cache.directory()) || force ? problem.get() : "missing");
            }
            VectorRecord rec = VectorRecord.read(cache.directory(), "cache entry " + info.key().shortForm());
            out.println("ok      " + info.key().shortForm() + "  " + VectorRecord.DATA_FILE + ": " + rec.rows() + " rows x " + rec.layers().size()
                    + " layer(s) x (CLS, mean) x " + rec.dim() + " float32, " + Sizes.human(rec.bytes()) + (problem.isPresent() ? " (built)" : " (already sound)"));
            out.flush();
        }
        return 0;
    }
}
