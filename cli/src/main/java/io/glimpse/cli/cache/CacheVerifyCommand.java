package io.glimpse.cli.cache;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.VerifyReport;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code glimpse cache verify [KEY]}: checksums, Arrow structure, row counts, index ↔ shards and manifest of one
 * entry or all. Read-only. Exit 0 when everything checks out, 1 when any entry has a problem (one line each on
 * stderr).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check entries (all, or KEY): checksums, row counts, index vs shards, manifest.")
final class CacheVerifyCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "Cache key or unique prefix (default: every entry).")
    String key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheStore store = parent.store();
        List<CacheEntryInfo> entries = key != null ? List.of(store.resolve(key)) : store.list();
        if (entries.isEmpty()) {
            out.println("no cache entries in " + store.root());
            out.flush();
            return 0;
        }
        int bad = 0;
        for (CacheEntryInfo e : entries) {
            VerifyReport r = verify(store, e);
            if (r.ok()) {
                out.println("ok      " + e.key().shortForm() + "  " + r.status().label() + ", " + r.rows() + " rows, " + r.shards() + " shard(s), " + Sizes.human(r.bytes()));
            } else {
                bad++;
                out.println("FAILED  " + e.key().shortForm() + "  " + r.problems().size() + " problem(s)");
                r.problems().forEach(p -> err.println("glimpse: " + p));
            }
        }
        out.flush();
        err.flush();
        if (bad > 0) {
            err.println("glimpse: " + bad + " of " + entries.size() + " cache entr" + (bad == 1 ? "y" : "ies") + " failed verification");
            err.flush();
            return 1;
        }
        return 0;
    }

    /** Checksumming a large entry takes a while on an interactive terminal, show progress there. */
    private static VerifyReport verify(CacheStore store, CacheEntryInfo e) {
        long total = e.manifest().map(m -> m.shardBytes()).orElse(0L);
        if (System.console() == null || total < (256L << 20)) return store.verify(e.key());
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("verify " + e.key().shortForm()).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed().build()) {
            return store.verify(e.key(), bar::stepTo);
        }
    }
}
