package io.glimpse.extract.pipeline;

import io.glimpse.cache.BackgroundPriority;
import io.glimpse.cache.EntryWriter;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.ImageDataset;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One pass of the extraction pipeline over a range of plan rows into a {@link RowSink} (an entry's writer, or one
 * shard of a distributed task): worker threads decode and preprocess
 * ({@link BatchProducer}), this thread runs the backbone, and a writer thread converts and appends to the cache.
 * Queues are bounded and buffers recycled, so memory stays flat; the backbone never waits on decoding or writing
 * unless those are slower than it.
 */
public final class ExtractionRun {
    /** Rows computed by the backbone, on their way to the writer. */
    private record WriteJob(String[] ids, int[] labels, int[] planRows, Map<String, FloatBuffer> tokens, int n) {
    }

    private static final WriteJob END = new WriteJob(new String[0], new int[0], new int[0], Map.of(), 0);

    private final ImageDataset dataset;
    private final OnnxBackbone backbone;
    private final RowPlan plan;
    private final int views;
    private final ExtractRequest request;
    /** Where the backbone thread spent its time: running the model, waiting for input, waiting for the writer. */
    private long backboneNanos, waitInputNanos, waitWriterNanos;
    /** CPU-side work beside the backbone: the writer's conversion and appends, the workers' decode + preprocess. */
    private final java.util.concurrent.atomic.AtomicLong writerNanos = new java.util.concurrent.atomic.AtomicLong();
    private long preprocessNanos;

    public ExtractionRun(ImageDataset dataset, OnnxBackbone backbone, RowPlan plan, int views, ExtractRequest request) {
        this.dataset = dataset;
        this.backbone = backbone;
        this.plan = plan;
        this.views = views;
        this.request = request;
    }

    /** Row id in the cache: the dataset id, with "#v&lt;k&gt;" for multi-view entries. */
    String rowId(int row) {
        String id = dataset.id(plan.images()[row]);
        return views > 1 ? id + "#v" + plan.views()[row] : id;
    }

    /**
     * Computes plan rows {@code from..end} and appends them; {@code skipped} collects the ids of images skipped as
     * bad (--skip-bad). Returns the number of rows appended.
     */
    long run(EntryWriter writer, int from, LinkedHashSet<String> skipped) throws InterruptedException {
        RowSink sink = new RowSink() {
            @Override
            public void append(String[] ids, int[] labels, Map<String, FloatBuffer> tokensPerLayer, int n) {
                writer.append(ids, labels, tokensPerLayer, n);
            }

            @Override
            public void endShard() {
                writer.endShard();
            }
        };
        return run(sink, from, plan.size(), writer.rowsPerShard(), skipped);
    }

    /**
     * Computes plan rows {@code from..to-1} into {@code sink}; a distributed task's share of the plan. Shard
     * {@code s} holds the good rows of plan rows {@code s*shardRows..(s+1)*shardRows-1}: the sink is told where
     * one ends, so skipped images shorten a shard instead of shifting every later boundary.
     */
    public long run(RowSink writer, int from, int to, int shardRows, LinkedHashSet<String> skipped) throws InterruptedException {
        int batch = request.batchSize(), rowValues = backbone.layout().rowValues();
        // the backbone on CPU takes every core it is given: decoding, writing and JIT compiling fit in its gaps
        if ("cpu".equals(backbone.device())) BackgroundPriority.lowerJitCompilers();
        BlockingQueue<Map<String, FloatBuffer>> freeOutputs = new ArrayBlockingQueue<>(3);
        for (int i = 0; i < 3; i++) {
            Map<String, FloatBuffer> m = new HashMap<>();
            for (String l : backbone.layers()) m.put(l, OnnxBackbone.directFloats(batch * rowValues));
            freeOutputs.add(m);
        }
        BlockingQueue<WriteJob> queue = new ArrayBlockingQueue<>(2);
        java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> writerError = new java.util.concurrent.atomic.AtomicReference<>();
        try (ProgressBar bar = progressBar(from)) {
            Thread writerThread = new Thread(() -> {
                BackgroundPriority.lowerCurrentThread();
                long lastShard = -1;
                while (true) {
                    WriteJob job;
                    try {
                        job = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (job == END) return;
                    if (writerError.get() == null) {
                        try {
                            long w0 = System.nanoTime();
                            lastShard = appendByShard(writer, job, shardRows, lastShard);
                            writerNanos.addAndGet(System.nanoTime() - w0);
                            appended.addAndGet(job.n());
                            if (bar != null) bar.stepBy(job.n());
                        } catch (Throwable t) {
                            writerError.set(t); // keep draining so the backbone thread never blocks on a full queue
                        }
                    }
                    freeOutputs.add(job.tokens());
                }
            }, "glimpse-cache-writer");
            writerThread.start();
            RuntimeException failure = null;
            try (BatchProducer producer = new BatchProducer(dataset, new SampleTransform(backbone.preprocessing(), request.dataset().augment()),
                    plan, from, to, batch, request.effectiveWorkers(), 3)) {
                while (true) {
                    long t0 = System.nanoTime();
                    PreparedBatch b = producer.next();
                    waitInputNanos += System.nanoTime() - t0;
                    if (b == null || writerError.get() != null) break;
                    for (PreparedBatch.Failure f : b.failures()) {
                        if (!request.skipBad()) {
                            throw new ExtractInputException(f.reason() + "; stopped, committed shards are kept (--skip-bad skips such images)");
                        }
                        skipped.add(dataset.id(plan.images()[f.row()]));
                    }
                    if (b.count() == 0) {
                        producer.release(b);
                        continue;
                    }
                    long t1 = System.nanoTime();
                    Map<String, FloatBuffer> out = freeOutputs.take();
                    long t2 = System.nanoTime();
                    backbone.run(b.input(), b.count(), out);
                    backboneNanos += System.nanoTime() - t2;
                    waitWriterNanos += t2 - t1;
                    String[] ids = new String[b.count()];
                    int[] labels = new int[b.count()];
                    for (int i = 0; i < b.count(); i++) {
                        ids[i] = rowId(b.rows()[i]);
                        labels[i] = dataset.label(plan.images()[b.rows()[i]]);
                    }
                    producer.release(b);
                    long t3 = System.nanoTime();
                    queue.put(new WriteJob(ids, labels, java.util.Arrays.copyOf(b.rows(), b.count()), out, b.count()));
                    waitWriterNanos += System.nanoTime() - t3;
                }
                preprocessNanos = producer.preprocessNanos();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                queue.put(END);
                writerThread.join();
            }
            if (failure != null) throw failure;
            if (writerError.get() instanceof RuntimeException re) throw re;
            if (writerError.get() != null) throw new IllegalStateException("cache writer failed: " + writerError.get(), writerError.get());
        }
        return appended.get();
    }

    /**
     * Appends a job's rows, closing the sink's shard wherever the plan crosses a shard boundary; returns the plan
     * shard of the last row. Without skipped images the writer's own row count already ends shards there.
     */
    private long appendByShard(RowSink sink, WriteJob job, int shardRows, long lastShard) {
        int rowValues = backbone.layout().rowValues();
        for (int start = 0; start < job.n(); ) {
            long shard = job.planRows()[start] / shardRows;
            int end = start + 1;
            while (end < job.n() && job.planRows()[end] / shardRows == shard) end++;
            if (lastShard >= 0 && shard != lastShard) sink.endShard();
            lastShard = shard;
            if (start == 0 && end == job.n()) {
                sink.append(job.ids(), job.labels(), job.tokens(), job.n());
            } else {
                Map<String, FloatBuffer> slice = new HashMap<>();
                for (Map.Entry<String, FloatBuffer> e : job.tokens().entrySet()) {
                    FloatBuffer b = e.getValue().duplicate();
                    slice.put(e.getKey(), b.position(b.position() + start * rowValues));
                }
                sink.append(java.util.Arrays.copyOfRange(job.ids(), start, end), java.util.Arrays.copyOfRange(job.labels(), start, end), slice, end - start);
            }
            start = end;
        }
        return lastShard;
    }

    /** Seconds the backbone thread spent in the model, waiting for preprocessed input, and waiting for the writer. */
    public Map<String, Object> timings() {
        return Map.of("backbone_seconds", backboneNanos / 1e9, "wait_input_seconds", waitInputNanos / 1e9, "wait_writer_seconds", waitWriterNanos / 1e9,
                "writer_busy_seconds", writerNanos.get() / 1e9, "preprocess_busy_seconds", preprocessNanos / 1e9);
    }

    private ProgressBar progressBar(int from) {
        if (!request.progress()) return null;
        return new ProgressBarBuilder()
                .setTaskName(dataset.name() + "/" + request.split())
                .setInitialMax(plan.size())
                .startsFrom(from, Duration.ZERO)
                .setUnit(" img", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
                .build();
    }

    /**
     * Where a resumed run starts: after the plan rows of the {@code committedShards} committed shards. Without skips
     * that is row {@code committedRows}; with --skip-bad, shard {@code s} covers plan rows {@code s*shardRows..}, a
     * range whose images were all bad left no shard, and the earlier bad images are found again by decoding (no
     * backbone), which also recovers their ids. A count of good rows that disagrees with the committed rows means the
     * dataset changed under the entry.
     */
    public static int resumeRow(ImageDataset dataset, RowPlan plan, int committedShards, long committedRows, int shardRows, boolean skipBad,
                                int channels, LinkedHashSet<String> skipped) {
        if (!skipBad || committedShards == 0) return (int) committedRows;
        List<Integer> badImages = new ArrayList<>();
        int lastImage = -1;
        boolean lastOk = true;
        long good = 0;
        int shards = 0, row = 0;
        while (shards < committedShards && row < plan.size()) {
            int end = (int) Math.min(plan.size(), (long) row + shardRows);
            long goodHere = 0;
            for (; row < end; row++) {
                int image = plan.images()[row];
                if (image != lastImage) {
                    lastImage = image;
                    try {
                        dataset.image(image, channels);
                        lastOk = true;
                    } catch (Exception e) {
                        lastOk = false;
                        badImages.add(image);
                    }
                }
                if (lastOk) goodHere++;
            }
            if (goodHere > 0) shards++;
            good += goodHere;
        }
        if (good != committedRows) {
            throw new ExtractInputException("dataset " + dataset.name() + ": " + good + " decodable images before plan row " + row + " but the entry's "
                    + committedShards + " committed shards hold " + committedRows + " rows; the images changed since, remove the entry");
        }
        for (int image : badImages) skipped.add(dataset.id(image));
        return row;
    }
}
