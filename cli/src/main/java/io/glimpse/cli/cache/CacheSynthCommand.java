package io.glimpse.cli.cache;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.synth.SynthSpec;
import io.glimpse.cache.synth.Synthesizer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code glimpse cache synth}: a synthetic entry of any token shape, written through the cache's writer, for
 * benchmarks, tests and capacity planning. The same options give the same key and bytes; train reads it with
 * {@code glimpse train --train-cache KEY --test-cache KEY}.
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a synthetic entry (seeded tokens with class structure); prints its key. Defaults: ViT-B/16 on ImageNet-1k.")
final class CacheSynthCommand implements Runnable {
    private static final Pattern GRID = Pattern.compile("(\\d+)x(\\d+)");

    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "rows (images)")
    int rows;

    @Option(names = "--tokens", defaultValue = "197", paramLabel = "T", description = "tokens per row, prefix tokens included (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--dim", defaultValue = "768", paramLabel = "D", description = "hidden dim (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--classes", defaultValue = "1000", paramLabel = "C", description = "classes; row r has class r mod C (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--dtype", defaultValue = "float16", description = "float16 | float32 | int8 (int8: one float32 scale per token) (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "class structure and rows (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--split", defaultValue = "train", description = "train | test: same classes, disjoint rows (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--prefix-tokens", defaultValue = "1", paramLabel = "K", description = "CLS + register tokens before the patches (default: ${DEFAULT-VALUE})")
    int prefixTokens;

    @Option(names = "--grid", paramLabel = "HxW", description = "patch grid (default: square when the patch count is a square, else none)")
    String grid;

    @Option(names = "--threads", paramLabel = "N", description = "generator threads (default: the available processors)")
    Integer threads;

    @Option(names = "--rows-per-shard", defaultValue = "0", paramLabel = "N", description = "rows per shard (0 = up to 1 GiB shards)")
    int rowsPerShard;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public void run() {
        SynthSpec synth = spec();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) throw new BadInputException("--threads must be >= 1, got " + workers);
        if (rowsPerShard < 0) throw new BadInputException("--rows-per-shard must be >= 0, got " + rowsPerShard);
        long rowBytes = synth.dtype().rowBytes(synth.layout());
        ProgressBar[] bar = new ProgressBar[1];
        Synthesizer.Result r;
        try {
            r = new Synthesizer(parent.store(), workers, rowsPerShard).ensure(synth, done -> {
                if (quiet) return;
                if (bar[0] == null) bar[0] = progressBar(synth, done * rowBytes);
                bar[0].stepTo(done * rowBytes);
            });
        } finally {
            if (bar[0] != null) bar[0].close();
        }
        PrintWriter out = spec.commandLine().getOut();
        String what = String.format(Locale.ROOT, "%s, %d rows of %dx%d %s, %d classes, seed %d", synth.split(), r.rows(),
                synth.layout().tokens(), synth.layout().dim(), synth.dtype().label(), synth.classes(), synth.seed());
        if (r.reused()) {
            out.println("cache synth: " + r.key() + " (" + what + ") reused, " + Sizes.human(r.shardBytes()));
        } else {
            double mib = (r.rows() - r.resumedFromRow()) * (double) rowBytes / (1 << 20);
            out.printf(Locale.ROOT, "cache synth: %s (%s) written%s in %.1f s, %.0f MiB/s of tokens, %s%n", r.key(), what,
                    r.resumedFromRow() > 0 ? " from row " + r.resumedFromRow() : "", r.seconds(), mib / Math.max(r.seconds(), 1e-9),
                    Sizes.human(r.shardBytes()));
        }
        out.flush();
    }

    /** The options as a spec; every bad option is refused here, before anything is written. */
    private SynthSpec spec() {
        if (rows < 1) throw new BadInputException("--rows must be >= 1, got " + rows);
        if (tokens < 2) throw new BadInputException("--tokens must be >= 2 (a CLS token and at least one patch), got " + tokens);
        if (dim < 1) throw new BadInputException("--dim must be >= 1, got " + dim);
        if (classes < 2) throw new BadInputException("--classes must be >= 2, got " + classes);
        TokenDtype type;
        try {
            type = TokenDtype.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--dtype: " + e.getMessage());
        }
        long rowBytes = (long) tokens * dim * type.bytes() + (type.scaled() ? (long) tokens * Float.BYTES : 0);
        if (rowBytes > SynthSpec.MAX_ROW_BYTES) {
            throw new BadInputException("--tokens " + tokens + " x --dim " + dim + " in " + type.label() + " is " + (rowBytes >> 20)
                    + " MiB per row; a row must fit in a 1 GiB shard");
        }
        if (!SynthSpec.SPLITS.contains(split)) throw new BadInputException("--split must be one of " + String.join(", ", SynthSpec.SPLITS) + ", got '" + split + "'");
        if (prefixTokens < 1 || prefixTokens > tokens - 1) {
            throw new BadInputException("--prefix-tokens must be in [1, " + (tokens - 1) + "] (--tokens " + tokens + " holds a CLS token and at least one patch), got " + prefixTokens);
        }
        int patches = tokens - prefixTokens;
        int h = 0, w = 0;
        if (grid != null) {
            Matcher m = GRID.matcher(grid.trim());
            if (!m.matches()) throw new BadInputException("--grid '" + grid + "' is not HxW (e.g. 14x14)");
            try {
                h = Integer.parseInt(m.group(1));
                w = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                throw new BadInputException("--grid '" + grid + "' is not HxW (e.g. 14x14)");
            }
            if (h < 1 || w < 1 || (long) h * w != patches) {
                throw new BadInputException("--grid " + grid + " does not hold the " + patches + " patch tokens (--tokens " + tokens + " minus --prefix-tokens " + prefixTokens + ")");
            }
        } else {
            int side = (int) Math.round(Math.sqrt(patches));
            if (side * side == patches) h = w = side;
        }
        return new SynthSpec(rows, new TokenLayout(tokens, dim, prefixTokens, h, w), classes, type, seed, split);
    }

    private static ProgressBar progressBar(SynthSpec synth, long fromBytes) {
        return new ProgressBarBuilder()
                .setTaskName("synth " + synth.split())
                .setInitialMax(synth.tokenBytes())
                .startsFrom(fromBytes, Duration.ZERO)
                .setUnit(" MiB", 1 << 20)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
                .build();
    }
}
