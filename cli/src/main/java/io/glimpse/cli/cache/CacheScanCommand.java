package io.glimpse.cli.cache;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cli.CliInputException;
import io.glimpse.cli.ReadModeOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code glimpse cache scan KEY}: reads epochs of one entry exactly as training does (the same batches, widened to
 * float32 into the same batch buffers), without a head, and reports the read rate and the process's peak memory.
 * It measures the data path on its own (is the disk or the page cache the limit, what a read mode costs), and never
 * writes: a scan killed at any point leaves the entry as it was.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Read epochs of an entry as training does (no head) and report GB/s and peak memory.")
final class CacheScanCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "Cache key or unique prefix.")
    String key;

    @CommandLine.Mixin
    ReadModeOption readOption = new ReadModeOption();

    @Option(names = "--batch", defaultValue = "1024", description = "Rows per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs to read. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--sequential", description = "Stored order instead of the training shuffle.")
    boolean sequential;

    @Option(names = "--seed", defaultValue = "0", description = "Shuffle seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--layer", description = "Layer to read (default: the entry's first).")
    String layer;

    @Option(names = "--max-seconds", defaultValue = "0", description = "Stop after the batch that passes this many seconds (0 = no limit).")
    double maxSeconds;

    @Option(names = "--json", description = "One JSON object instead of a sentence.")
    boolean json;

    @Override
    public Integer call() {
        if (batch < 1) throw new CliInputException("--batch must be >= 1, got " + batch);
        if (epochs < 1) throw new CliInputException("--epochs must be >= 1, got " + epochs);
        if (!(maxSeconds >= 0)) throw new CliInputException("--max-seconds must be >= 0, got " + maxSeconds);
        CacheStore store = readOption.apply(parent.store());
        CacheEntryInfo info = store.resolve(key);
        PrintWriter out = spec.commandLine().getOut();
        try (TokenCache cache = store.openReader(info.key()); RssSampler rss = new RssSampler(20)) {
            String l = layer != null ? cache.layers().get(cache.layerIndex(layer)) : cache.layers().get(0);
            long rowBytes = (long) cache.layout().rowValues() * cache.dtype().bytes();
            long rows = 0;
            boolean stopped = false;
            long t0 = System.nanoTime();
            for (int e = 0; e < epochs && !stopped; e++) {
                Iterator<TokenBatch> it = cache.batches(new EpochPlan(batch, !sequential, seed, e, false));
                while (it.hasNext()) {
                    TokenBatch b = it.next();
                    b.tokenBytes(l);
                    rows += b.size();
                    if (maxSeconds > 0 && (System.nanoTime() - t0) / 1e9 >= maxSeconds) {
                        stopped = true;
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            rss.close();
            double gbps = rows * rowBytes / 1e9 / seconds;
            long bound = cache.streamMemoryBound(batch, 1);
            if (json) {
                out.printf(Locale.ROOT, "{\"mode\": \"%s\", \"entry_bytes\": %d, \"rows\": %d, \"bytes\": %d, \"seconds\": %.3f, \"gb_per_s\": %.4f, "
                                + "\"stopped_early\": %s, \"batch\": %d, \"read_threads\": %d, \"stream_buffer_bound_bytes\": %d, "
                                + "\"peak_rss_anon_bytes\": %d, \"peak_rss_file_bytes\": %d, \"max_heap_bytes\": %d}%n",
                        cache.readMode().label(), cache.shardBytes(), rows, rows * rowBytes, seconds, gbps, stopped, batch,
                        cache.streamThreads(), bound, rss.peakAnonBytes(), rss.peakFileBytes(), Runtime.getRuntime().maxMemory());
            } else {
                out.println(cache.readModeReason());
                out.printf(Locale.ROOT, "scan: %d rows (%s) in %.1f s: %.3f GB/s%s; peak RSS %s anonymous, %s mapped file pages%n", rows,
                        Sizes.human(rows * rowBytes), seconds, gbps, stopped ? " (stopped at --max-seconds)" : "",
                        Sizes.human(rss.peakAnonBytes()), Sizes.human(rss.peakFileBytes()));
            }
            out.flush();
        }
        return 0;
    }
}
