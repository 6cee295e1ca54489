package io.glimpse.cache.shard;

import io.glimpse.cache.BackgroundPriority;
import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.half.Float16Narrower;
import io.glimpse.cache.quant.Int8Quantizer;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * The threads and buffers behind an entry's {@link ShardFileWriter}s, so that narrowing, checksums and writes overlap
 * instead of taking turns: the appending thread and {@code threads − 1} workers narrow (or quantise) float32 tokens into a
 * record-batch slot and checksum what they wrote while it is still in cache; one IO thread writes full slots to the
 * file in order (direct IO where the file system takes it); for files written through the page cache, one sync
 * thread fdatasyncs them in the background as they grow, so the disk works from the first batch on and the fsync
 * before a shard's rename waits only for the last few. Slots are recycled (a few batches of memory in all): when the
 * disk is slower than narrowing, appends wait for a free slot.
 */
public final class WritePipeline implements AutoCloseable {
    /** Slots: one filling, one being written, one queued. */
    private static final int SLOTS = 3;
    /** Values one narrowing task handles (1 MiB of float32 in): small enough to share an append among threads. */
    private static final int TASK_VALUES = 1 << 18;

    private final ShardSchema schema;
    private final int batchRows;
    private final int helpers;
    private final boolean directIo;
    private final List<BatchSlot> slots = new ArrayList<>();
    private final BlockingQueue<BatchSlot> free = new ArrayBlockingQueue<>(SLOTS);
    private final ExecutorService workers;
    private final ExecutorService io;
    private final ExecutorService sync;
    private final ThreadLocal<Converter> converters = ThreadLocal.withInitial(() -> new Converter());
    private boolean closed;

    /**
     * {@code threads} narrowing threads in all, the appending one included (at least 1); {@code directIo}: write
     * shards with O_DIRECT where the file system takes it.
     */
    public WritePipeline(ShardSchema schema, int batchRows, int threads, boolean directIo, BufferAllocator allocator) {
        if (batchRows < 1) throw new IllegalArgumentException("batch rows must be >= 1, got " + batchRows);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.schema = schema;
        this.batchRows = batchRows;
        this.helpers = threads - 1;
        this.directIo = directIo;
        try {
            for (int i = 0; i < SLOTS; i++) {
                BatchSlot s = new BatchSlot(schema, batchRows, allocator);
                slots.add(s);
                free.add(s);
            }
        } catch (RuntimeException e) {
            slots.forEach(BatchSlot::close);
            throw e;
        }
        this.workers = helpers > 0 ? Executors.newFixedThreadPool(helpers, daemon("glimpse-writer-narrow")) : null;
        this.io = Executors.newSingleThreadExecutor(daemon("glimpse-writer-io"));
        this.sync = Executors.newSingleThreadExecutor(daemon("glimpse-writer-sync"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return BackgroundPriority.daemonThreads(name); // a writer that is never closed must not keep the JVM alive
    }

    ShardSchema schema() {
        return schema;
    }

    int batchRows() {
        return batchRows;
    }

    boolean directIo() {
        return directIo;
    }

    /** The narrowing threads, the appending one included. */
    public int threads() {
        return helpers + 1;
    }

    /** A cleared slot; waits while every slot is queued for writing. */
    BatchSlot takeSlot() throws InterruptedIOException {
        try {
            BatchSlot s = free.take();
            s.clear();
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the cache writer");
        }
    }

    void returnSlot(BatchSlot s) {
        free.add(s);
    }

    <T> Future<T> onIoThread(Callable<T> task) {
        return io.submit(task);
    }

    <T> Future<T> onSyncThread(Callable<T> task) {
        return sync.submit(task);
    }

    /**
     * Narrows (quantises for int8, copies for float32) rows {@code from .. from+n-1} of every layer into {@code slot}
     * after the rows it holds, and folds the checksums of the written bytes into the slot's; the caller's thread works
     * too and this returns when all is done, so the caller may reuse its buffers. For int8, a row holding NaN or an
     * infinity is refused with a {@link BadInputException} naming it ({@code rowIds} from {@code from}) and nothing
     * of this call is counted in the slot.
     */
    void fillTokens(BatchSlot slot, String[] rowIds, List<FloatBuffer> layerTokens, int from, int n) throws IOException {
        int rowValues = schema.layout().rowValues();
        int dim = schema.layout().dim();
        long values = (long) n * rowValues;
        // int8 tasks hold whole tokens: a token's scale depends on all its D values
        int taskValues = schema.dtype().scaled() ? Math.max(1, TASK_VALUES / dim) * dim : TASK_VALUES;
        int perLayer = (int) ((values + taskValues - 1) / taskValues);
        Task[] tasks = new Task[perLayer * layerTokens.size()];
        for (int l = 0; l < layerTokens.size(); l++) {
            FloatBuffer src = layerTokens.get(l);
            long srcAt = src.position() + (long) from * rowValues;
            long dstAt = (long) slot.rows() * rowValues;
            for (int t = 0; t < perLayer; t++) {
                long off = (long) t * taskValues;
                tasks[l * perLayer + t] = new Task(src, (int) (srcAt + off), slot.tokens(l), schema.dtype().scaled() ? slot.scales(l) : null,
                        (int) (dstAt + off), (int) Math.min(taskValues, values - off));
            }
        }
        runAll(tasks);
        for (int i = 0; i < tasks.length; i++) {
            if (tasks[i].badToken >= 0) {
                long value = (long) (i % perLayer) * taskValues + (long) tasks[i].badToken * dim;
                int row = (int) (value / rowValues);
                int token = (int) (value % rowValues / dim);
                throw new BadInputException("row '" + rowIds[from + row] + "', layer " + schema.layers().get(i / perLayer) + ", token " + token
                        + ": holds NaN or infinity, which int8 cannot store (the backbone's output is not finite; float16 or float32 keep it)");
            }
        }
        long bytesPerValue = schema.dtype().bytes();
        for (int i = 0; i < tasks.length; i++) {
            slot.foldTokenCrc(i / perLayer, tasks[i].crc, tasks[i].count * bytesPerValue);
        }
    }

    private void runAll(Task[] tasks) throws IOException {
        int helping = workers == null ? 0 : Math.min(helpers, tasks.length - 1);
        if (helping <= 0) {
            for (Task t : tasks) {
                t.run();
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks.length; ) {
                tasks[i].run();
            }
        };
        List<Future<?>> running = new ArrayList<>(helping);
        for (int h = 0; h < helping; h++) {
            running.add(workers.submit(drain));
        }
        try {
            drain.run();
        } finally {
            for (Future<?> f : running) {
                await(f); // the workers write into the slot: never return while one still does
            }
        }
    }

    /** Waits for {@code f}; its IOException (or unchecked exception) is rethrown as such. */
    static <T> T await(Future<T> f) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: the task still touches shared buffers
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IOException(c);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Stops the threads and frees the slots; every shard must be finished or aborted first. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (workers != null) workers.shutdown();
        io.shutdown();
        sync.shutdown();
        try {
            if (workers != null) workers.awaitTermination(30, TimeUnit.SECONDS);
            io.awaitTermination(30, TimeUnit.SECONDS);
            sync.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slots.forEach(BatchSlot::close);
        converters.remove();
    }

    /** Per-thread scratch: the narrower's or quantiser's arrays and a CRC-32C. */
    private final class Converter {
        final Float16Narrower narrower = schema.dtype() == TokenDtype.FLOAT16 ? new Float16Narrower() : null;
        final Int8Quantizer quantizer = schema.dtype() == TokenDtype.INT8 ? new Int8Quantizer(schema.layout().dim()) : null;
        final CRC32C crc = new CRC32C();
    }

    /** One piece of one layer: narrow, quantise or copy, then checksum the token bytes written. */
    private final class Task {
        final FloatBuffer src;
        final int srcAt;
        final ByteBuffer dst;
        final ByteBuffer scales;
        final int dstAt;
        final int count;
        int crc;
        /** int8: the first token (in this task) holding NaN or infinity, or -1. */
        int badToken = -1;

        Task(FloatBuffer src, int srcAt, ByteBuffer dst, ByteBuffer scales, int dstAt, int count) {
            this.src = src;
            this.srcAt = srcAt;
            this.dst = dst;
            this.scales = scales;
            this.dstAt = dstAt;
            this.count = count;
        }

        void run() {
            Converter c = converters.get();
            int bytes = schema.dtype().bytes();
            ByteBuffer region = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(dstAt * bytes).limit((dstAt + count) * bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (schema.dtype() == TokenDtype.FLOAT16) {
                ShortBuffer halves = region.asShortBuffer();
                c.narrower.narrow(src, srcAt, halves, 0, count);
            } else if (schema.dtype() == TokenDtype.INT8) {
                int dim = c.quantizer.dim();
                FloatBuffer scaleView = scales.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                badToken = c.quantizer.quantize(src, srcAt, region, 0, scaleView, dstAt / dim, count / dim);
                if (badToken >= 0) return;
            } else {
                region.asFloatBuffer().put(0, src, srcAt, count);
            }
            c.crc.reset();
            c.crc.update(region);
            crc = (int) c.crc.getValue();
        }
    }
}
