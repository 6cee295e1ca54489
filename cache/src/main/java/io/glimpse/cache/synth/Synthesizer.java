package io.glimpse.cache.synth;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.store.FreeSpace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Writes a {@link SynthSpec}'s entry through the cache's one writer ({@link CacheStore#openWriter}), exactly as an
 * extraction does: worker threads make chunks of rows into recycled direct buffers, this thread appends them in row
 * order. A complete entry is reused, a partial one resumed (rows depend on their number only, so the result equals
 * an uninterrupted run), and a write that visibly cannot fit on the disk is refused before it starts.
 */
public final class Synthesizer {
    /** About this many bytes of float32 tokens per chunk a worker makes. */
    private static final long CHUNK_BYTES = 16L << 20;

    /** The entry's key, whether it was already complete, its rows, the row this run started from, its shard bytes, the seconds this run took. */
    public record Result(CacheKey key, boolean reused, long rows, long resumedFromRow, long shardBytes, double seconds) {
    }

    private final CacheStore store;
    private final int threads;
    private final int rowsPerShard;
    private final long chunkBytes;

    /** {@code threads} workers make rows; {@code rowsPerShard} 0 = as many as fit in a 1 GiB shard. */
    public Synthesizer(CacheStore store, int threads, int rowsPerShard) {
        this(store, threads, rowsPerShard, CHUNK_BYTES);
    }

    Synthesizer(CacheStore store, int threads, int rowsPerShard, long chunkBytes) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (rowsPerShard < 0) throw new IllegalArgumentException("rows per shard must be >= 0, got " + rowsPerShard);
        this.store = store;
        this.threads = threads;
        this.rowsPerShard = rowsPerShard;
        this.chunkBytes = chunkBytes;
    }

    /**
     * The complete entry of {@code spec}, writing it first when missing. {@code rowsDone} hears, on this thread, the
     * row the run starts from and then the rows appended so far; it is not called for a reused entry.
     */
    public Result ensure(SynthSpec spec, LongConsumer rowsDone) {
        CacheDescription d = spec.description();
        CacheKey key = d.key();
        Optional<CacheEntryInfo> existing = store.find(key);
        if (existing.isPresent() && existing.get().status() == EntryStatus.COMPLETE) {
            Manifest m = existing.get().manifestOrNull();
            return new Result(key, true, m.rows(), m.rows(), m.shardBytes(), 0);
        }
        if (existing.isPresent() && existing.get().status() == EntryStatus.BROKEN) store.remove(key);
        long onDisk = existing.filter(e -> e.status() == EntryStatus.PARTIAL).map(CacheEntryInfo::bytesOnDisk).orElse(0L);
        FreeSpace.require(store.root(), spec.estimatedBytes() - onDisk, "synthetic entry " + key.shortForm() + " (" + spec.split() + ", "
                + spec.rows() + " rows of " + spec.layout().tokens() + "x" + spec.layout().dim() + " " + spec.dtype().label() + ")");
        try (EntryWriter writer = store.openWriter(d, spec.layout(), new WriterOptions(rowsPerShard, WriterOptions.ONE_GIB, 0, spec.rows()))) {
            long committed = writer.committedRows();
            if (committed > spec.rows()) {
                throw new BadInputException("cache entry " + key.shortForm() + " holds " + committed + " rows, more than the " + spec.rows() + " asked for; remove it");
            }
            rowsDone.accept(committed);
            long t0 = System.nanoTime();
            append(writer, new SynthTokens(spec), (int) committed, rowsDone);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long made = spec.rows() - committed;
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put(Manifest.EXTRACT_SECONDS, seconds);
            stats.put("rows_per_second", made / Math.max(seconds, 1e-9));
            stats.put("token_mib_per_second", made * (double) spec.tokenBytes() / spec.rows() / (1 << 20) / Math.max(seconds, 1e-9));
            stats.put("rows_this_run", made);
            stats.put("resumed_from_row", committed);
            stats.put("threads", threads);
            Manifest m = writer.finish(stats, List.of());
            return new Result(key, false, m.rows(), committed, m.shardBytes(), seconds);
        }
    }

    /**
     * Rows {@code from..rows} in chunks appended in order; one chunk per worker plus two are in flight, so the
     * workers stay busy while this thread appends, and memory is (threads + 2) chunk buffers, reused.
     */
    private void append(EntryWriter writer, SynthTokens tokens, int from, LongConsumer rowsDone) {
        SynthSpec spec = tokens.spec();
        int rowValues = spec.layout().rowValues();
        int chunkRows = (int) Math.max(1, Math.min(spec.rows(), chunkBytes / (4L * rowValues)));
        int window = threads + 2;
        FloatBuffer[] buffers = new FloatBuffer[window];
        ThreadLocal<Worker> workers = ThreadLocal.withInitial(() -> new Worker(tokens.newRows(), new float[rowValues]));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "glimpse-synth");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
        try {
            int next = from;
            long submitted = 0;
            while (next < spec.rows() || !inFlight.isEmpty()) {
                while (inFlight.size() < window && next < spec.rows()) {
                    int slot = (int) (submitted++ % window);
                    if (buffers[slot] == null) buffers[slot] = ByteBuffer.allocateDirect(Math.multiplyExact(4, chunkRows * rowValues)).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    FloatBuffer buffer = buffers[slot];
                    int start = next, n = Math.min(chunkRows, spec.rows() - next);
                    inFlight.add(new Chunk(start, n, buffer, pool.submit(() -> workers.get().fill(start, n, buffer, rowValues))));
                    next += n;
                }
                Chunk c = inFlight.poll();
                await(c.made());
                String[] ids = new String[c.rows()];
                int[] labels = new int[c.rows()];
                for (int i = 0; i < c.rows(); i++) {
                    ids[i] = spec.id(c.start() + i);
                    labels[i] = tokens.label(c.start() + i);
                }
                writer.append(ids, labels, Map.of(SynthSpec.LAYER, c.tokens()), c.rows());
                rowsDone.accept(c.start() + c.rows());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("synthetic entry interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("making synthetic rows failed: " + e.getCause(), e.getCause());
        }
    }

    /** Rows [start, start + rows) being made into {@code tokens}. */
    private record Chunk(int start, int rows, FloatBuffer tokens, Future<?> made) {
    }

    /** One worker thread's row maker and row scratch. */
    private record Worker(SynthTokens.Rows rows, float[] row) {
        void fill(int start, int n, FloatBuffer out, int rowValues) {
            for (int i = 0; i < n; i++) {
                rows.fill(start + i, row, 0);
                out.put(i * rowValues, row, 0, rowValues);
            }
        }
    }
}
