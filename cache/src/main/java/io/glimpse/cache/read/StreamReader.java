package io.glimpse.cache.read;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.half.Float16;
import io.glimpse.cache.quant.Int8Quantizer;
import io.glimpse.cache.shard.MappedShard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads rows of one entry with many positional reads in parallel, never through the shards' mappings: a batch is
 * split into runs of consecutive rows (one row each under a shuffle, up to {@link #RUN_BYTES} in a sequential
 * pass), a pool of {@code threads} reads the runs into its own reusable aligned buffers and widens them into the
 * batch's float32 buffer, each run into its own rows. The pool is the queue depth the disk sees. The decoding is the
 * one the mapped {@link Gatherer} uses, so both produce the same bytes. Memory: {@code threads} scratch buffers of
 * {@link #scratchBytes} each, whatever the entry's size.
 */
public final class StreamReader implements AutoCloseable {
    /** Largest read of consecutive rows: long enough to be sequential, short enough to spread over the pool. */
    static final int RUN_BYTES = 4 << 20;

    private final MappedShard[] shards;
    private final int[] shardStart;
    private final ShardFile[] files;
    private final int rowValues;
    private final int rowBytes;
    private final TokenDtype dtype;
    private final int runRows;
    private final int threads;
    private final ExecutorService pool;
    private final BlockingQueue<Scratch> scratches;

    /** A reader's buffers: the aligned read buffer and the widening arrays (int8: its dequantiser's). */
    private record Scratch(ByteBuffer read, short[] halves, float[] floats, Int8Quantizer int8) {
    }

    /** {@code shards} give the offsets, {@code files} are the same shards opened for positional reads. */
    public StreamReader(MappedShard[] shards, int[] shardStart, ShardFile[] files, int rowValues, int dim, TokenDtype dtype, int threads) {
        if (threads < 1) throw new IllegalArgumentException("read threads must be >= 1, got " + threads);
        this.shards = shards;
        this.shardStart = shardStart;
        this.files = files;
        this.rowValues = rowValues;
        this.dtype = dtype;
        this.rowBytes = Math.multiplyExact(rowValues, dtype.bytes());
        this.runRows = Math.max(1, RUN_BYTES / Math.max(1, rowBytes));
        this.threads = threads;
        int align = 4096;
        for (ShardFile f : files) align = Math.max(align, f.align());
        this.scratches = new ArrayBlockingQueue<>(threads);
        int chunk = Math.max(4096, Math.min(rowValues, 1 << 16));
        for (int i = 0; i < threads; i++) {
            scratches.add(new Scratch(ShardFile.scratch(runRows * rowBytes, align), new short[chunk], new float[chunk],
                    dtype == TokenDtype.INT8 ? new Int8Quantizer(dim) : null));
        }
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "glimpse-stream-read");
            t.setDaemon(true); // an abandoned reader must not keep the JVM alive
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Bytes of the buffers a reader of rows of {@code rowValues} values keeps: fixed, whatever the entry's size. */
    public static long scratchBytes(int rowValues, TokenDtype dtype, int threads) {
        int rowBytes = rowValues * dtype.bytes();
        int runRows = Math.max(1, RUN_BYTES / Math.max(1, rowBytes));
        long perThread = ShardFile.scratchBytes(runRows * rowBytes, 4096) + (long) Math.max(4096, Math.min(rowValues, 1 << 16)) * 6;
        return threads * perThread;
    }

    /** Reads still to finish for one buffer; {@link #await} returns once all did, or throws the first failure. */
    public static final class Pending {
        private final CountDownLatch left;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        Pending(int runs) {
            this.left = new CountDownLatch(runs);
        }

        public boolean done() {
            return left.getCount() == 0;
        }

        public void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    left.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the reads write into the caller's buffer: wait for them to stop first
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            RuntimeException e = failure.get();
            if (e != null) throw e instanceof BadInputException b ? new BadInputException(b.getMessage(), b) : e;
        }
    }

    /**
     * Starts reading rows[0..count) of {@code layer} widened to float32 into {@code out} (native order, row i at byte
     * i*T*D*4). The buffer must stay untouched until the returned reads are awaited.
     */
    public Pending submit(int[] rows, int count, int layer, ByteBuffer out) {
        int runs = 0;
        for (int i = 0; i < count; i += runLength(rows, i, count)) runs++;
        Pending pending = new Pending(runs);
        for (int i = 0; i < count; ) {
            int run = runLength(rows, i, count);
            int at = i;
            try {
                pool.execute(() -> readRun(rows[at], run, layer, out, at, pending));
            } catch (RejectedExecutionException e) {
                pending.failure.compareAndSet(null, new IllegalStateException("the cache reader was closed"));
                pending.left.countDown();
            }
            i += run;
        }
        return pending;
    }

    private void readRun(int row, int run, int layer, ByteBuffer out, int at, Pending pending) {
        Scratch s = scratches.poll(); // never empty: one scratch per pool thread, each returned before its thread's next run
        try {
            if (pending.failure.get() != null) return;
            int sh = Gatherer.shardOf(shardStart, row);
            MappedShard shard = shards[sh];
            ByteBuffer raw = files[sh].read(shard.tokenByteOffset(layer, row - shardStart[sh]), run * rowBytes, s.read());
            FloatBuffer dst = out.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
            int values = run * rowValues;
            if (dtype == TokenDtype.FLOAT16) {
                Float16.toFloat(raw.asShortBuffer(), 0, dst, at * rowValues, values, s.halves(), s.floats());
            } else if (dtype == TokenDtype.INT8) {
                // the scales (4 bytes per token against D for its values) are read through the mapping, as ids and labels are
                int local = row - shardStart[sh];
                s.int8().dequantize(raw, raw.position(), shard.floats(), (int) (shard.scaleByteOffset(layer, local) >>> 2), dst, at * rowValues,
                        values / s.int8().dim());
            } else {
                dst.put(at * rowValues, raw.asFloatBuffer(), 0, values);
            }
        } catch (RuntimeException e) {
            pending.failure.compareAndSet(null, e);
        } finally {
            scratches.add(s);
            pending.left.countDown();
        }
    }

    /** Consecutive rows from rows[i] in one record batch of one shard, at most {@link #runRows}. */
    private int runLength(int[] rows, int i, int count) {
        int sh = Gatherer.shardOf(shardStart, rows[i]);
        int max = Math.min(Math.min(count - i, runRows), shards[sh].contiguousRows(rows[i] - shardStart[sh]));
        int run = 1;
        while (run < max && rows[i + run] == rows[i] + run) run++;
        return run;
    }

    /** Stops the pool once queued reads finish and closes the files; reading afterwards is the caller's bug. */
    @Override
    public void close() {
        pool.shutdown();
        for (ShardFile f : files) f.close();
    }
}
