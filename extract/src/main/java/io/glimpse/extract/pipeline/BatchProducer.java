package io.glimpse.extract.pipeline;

import io.glimpse.cache.BackgroundPriority;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.image.BadImageException;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and preprocesses the rows of a {@link RowPlan} on worker threads, {@code depth} batches ahead of the
 * consumer, and hands them out in plan order. Input buffers are recycled ({@link #release}), so memory stays at
 * depth + 1 batches however long the plan.
 */
public final class BatchProducer implements AutoCloseable {
    private final ImageDataset dataset;
    private final SampleTransform transform;
    private final RowPlan plan;
    private final int end;
    private final int batchSize;
    private final int workers;
    private final int depth;
    private final ExecutorService pool;
    private final Deque<CompletableFuture<PreparedBatch>> inflight = new ArrayDeque<>();
    private final Deque<FloatBuffer> free = new ArrayDeque<>();
    private int allocated;
    private int nextRow;
    private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();

    public BatchProducer(ImageDataset dataset, SampleTransform transform, RowPlan plan, int from, int batchSize, int workers, int depth) {
        this(dataset, transform, plan, from, plan.size(), batchSize, workers, depth);
    }

    /** Only plan rows {@code from..to-1}; batches still start at multiples of {@code batchSize} of the whole plan. */
    public BatchProducer(ImageDataset dataset, SampleTransform transform, RowPlan plan, int from, int to, int batchSize, int workers, int depth) {
        if (from < 0 || to < from || to > plan.size()) throw new IllegalArgumentException("rows " + from + ".." + to + " outside a plan of " + plan.size());
        if (batchSize <= 0 || workers <= 0 || depth <= 0) throw new IllegalArgumentException("batch, workers and depth must be > 0");
        this.dataset = dataset;
        this.transform = transform;
        this.plan = plan;
        this.end = to;
        this.nextRow = from;
        this.batchSize = batchSize;
        this.workers = workers;
        this.depth = depth;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(() -> {
                BackgroundPriority.lowerCurrentThread(); // the backbone's threads come first
                r.run();
            }, "glimpse-preprocess-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The next batch in plan order, or null when the plan is done. Blocks until it is ready. */
    public PreparedBatch next() {
        topUp();
        CompletableFuture<PreparedBatch> head = inflight.poll();
        if (head == null) return null;
        PreparedBatch b;
        try {
            b = head.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        topUp();
        return b;
    }

    /** Returns a batch's input buffer once the backbone has read it. */
    public void release(PreparedBatch b) {
        free.push(b.input());
        topUp();
    }

    private void topUp() {
        while (inflight.size() < depth && nextRow < end) {
            FloatBuffer buf = free.poll();
            if (buf == null) {
                if (allocated > depth) return; // the consumer still holds one; it comes back through release()
                buf = OnnxBackbone.directFloats(batchSize * transform.preprocessing().tensorSize());
                allocated++;
            }
            // batches start at multiples of batchSize, so a resumed run feeds the backbone the same groups of
            // images as an uninterrupted one (batch composition can change the last bits of the outputs)
            int first = nextRow, n = Math.min(batchSize - first % batchSize, end - first);
            nextRow += n;
            inflight.add(submit(first, n, buf));
        }
    }

    private CompletableFuture<PreparedBatch> submit(int first, int n, FloatBuffer buf) {
        int chunks = Math.min(workers, n), per = (n + chunks - 1) / chunks;
        List<CompletableFuture<List<PreparedBatch.Failure>>> parts = new ArrayList<>();
        for (int a = 0; a < n; a += per) {
            int lo = a, hi = Math.min(n, a + per);
            parts.add(CompletableFuture.supplyAsync(() -> preprocess(first, lo, hi, buf), pool));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<PreparedBatch.Failure> failures = new ArrayList<>();
            for (CompletableFuture<List<PreparedBatch.Failure>> p : parts) failures.addAll(p.join());
            failures.sort(Comparator.comparingInt(PreparedBatch.Failure::row));
            return compact(first, n, buf, failures);
        });
    }

    /** Worker time spent decoding and preprocessing so far, summed over threads. */
    public long preprocessNanos() {
        return busyNanos.get();
    }

    private List<PreparedBatch.Failure> preprocess(int first, int lo, int hi, FloatBuffer buf) {
        long t0 = System.nanoTime();
        List<PreparedBatch.Failure> failures = new ArrayList<>();
        int size = transform.preprocessing().tensorSize();
        for (int s = lo; s < hi; s++) {
            int row = first + s;
            try {
                transform.write(dataset, plan.images()[row], plan.views()[row], plan.seed(), buf, s * size);
            } catch (BadImageException e) {
                failures.add(new PreparedBatch.Failure(row, e.getMessage()));
            } catch (RuntimeException e) {
                // a decoder bug on a malformed file is still a bad image, not a crash of the run
                failures.add(new PreparedBatch.Failure(row, dataset.id(plan.images()[row]) + ": cannot decode (" + e + ")"));
            }
        }
        busyNanos.addAndGet(System.nanoTime() - t0);
        return failures;
    }

    /** Moves the successful rows to the front, in order, so the backbone never sees a failed slot. */
    private PreparedBatch compact(int first, int n, FloatBuffer buf, List<PreparedBatch.Failure> failures) {
        int size = transform.preprocessing().tensorSize();
        int[] rows = new int[n];
        int count = 0, f = 0;
        for (int s = 0; s < n; s++) {
            int row = first + s;
            if (f < failures.size() && failures.get(f).row() == row) {
                f++;
                continue;
            }
            if (count != s) buf.put(count * size, buf, s * size, size);
            rows[count++] = row;
        }
        return new PreparedBatch(first, n, buf, rows, count, List.copyOf(failures));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
