package io.glimpse.spark;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.store.AtomicFiles;
import io.glimpse.cache.store.EntryFiles;
import io.glimpse.cache.store.FreeSpace;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.config.Hashing;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.pipeline.DistributedEngine;
import io.glimpse.extract.pipeline.EntryVectorsStep;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.ExtractionRun;
import io.glimpse.extract.pipeline.ExtractionStart;
import io.glimpse.extract.pipeline.FinishedExtraction;
import io.glimpse.extract.pipeline.Extractor;
import io.glimpse.extract.pipeline.RowPlan;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Function0;
import scala.Function2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The driver's side. It resolves the request to its cache entry exactly as {@link Extractor} does (same key, reuse,
 * resume, --force), holds the entry's lock for the whole job, and splits the rows still missing into shard-aligned
 * partitions, one task and one shard each. As tasks finish it commits their shards in order: rename into place, then
 * the writer checks rows and CRC-32C, indexes the ids and updates the manifest. A driver killed mid-job thus leaves a
 * PARTIAL entry whose committed shards the next run reuses. Once the entry is complete the driver builds its vector
 * sidecar, as {@link Extractor} does.
 */
final class SparkExtraction implements DistributedEngine.Session {
    private final JavaSparkContext context;
    private final CacheStore store;

    SparkExtraction(JavaSparkContext context, CacheStore store) {
        this.context = context;
        this.store = store;
    }

    @Override
    public ExtractResult ensure(ExtractRequest request) {
        long t0 = System.nanoTime();
        ImageDataset dataset = DatasetConfigLoader.open(request.dataset(), request.split());
        List<String> layers = !request.layers().isEmpty() ? request.layers() : request.backbone().defaultLayers();
        if (!layers.isEmpty() && !request.force()) {
            Optional<ExtractResult> hit = complete(Extractor.describe(request, dataset, Hashing.sha256(request.backbone().onnxFile()), layers), request, t0);
            if (hit.isPresent()) return hit.get();
        }
        // tasks of one executor run concurrently on its one shared session, so each run gets the cores Spark gives a task:
        // executor cores per run would oversubscribe them (local[2] with 2 threads per run: 0.89x one JVM; 1 thread: 1.0x)
        int threads = request.backboneOptions().threads() > 0 ? request.backboneOptions().threads() : context.getConf().getInt("spark.task.cpus", 1);
        String device = request.backboneOptions().device().name().toLowerCase(java.util.Locale.ROOT);
        String backboneSource = request.backbone().source().toAbsolutePath().toString();
        OnnxBackbone backbone = ExecutorResources.backbone(new ExecutorResources.BackboneKey(backboneSource, request.layers(), threads, device));
        CacheDescription description = Extractor.describe(request, dataset, backbone.sha256(), backbone.layers());
        if (!request.force()) {
            Optional<ExtractResult> hit = complete(description, request, t0);
            if (hit.isPresent()) return hit.get();
        }
        Optional<CacheEntryInfo> existing = store.find(description.key());
        if (existing.isPresent() && (request.force() || existing.get().status() == EntryStatus.BROKEN)) store.remove(description.key());
        try {
            ExtractResult result = extract(request, dataset, backbone, description, backboneSource, threads, device, t0);
            EntryVectorsStep.build(store, description.key(), request.progress());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("extraction interrupted", e);
        }
    }

    private Optional<ExtractResult> complete(CacheDescription d, ExtractRequest request, long t0) {
        Optional<CacheEntryInfo> info = store.find(d.key());
        if (info.isEmpty() || info.get().status() != EntryStatus.COMPLETE) return Optional.empty();
        Manifest m = info.get().manifest().orElseThrow();
        return Optional.of(new ExtractResult(d.key(), d, m.layout(), request.split(), true, m.rows(), m.shardBytes(), (System.nanoTime() - t0) / 1e9,
                0, m.extractSeconds().orElse(0), 0, m.skippedIds()));
    }

    private ExtractResult extract(ExtractRequest request, ImageDataset dataset, OnnxBackbone backbone, CacheDescription d, String backboneSource,
                                  int threads, String device, long t0) throws InterruptedException {
        try (ExtractionStart at = ExtractionStart.open(store, d, dataset, backbone, request, FreeSpace::usable)) {
            EntryWriter writer = at.writer();
            long committed = at.committed();
            LinkedHashSet<String> skipped = at.skipped();
            int images = at.images();
            RowPlan plan = at.plan();
            int from = at.from();
            List<ShardTask> tasks = partitions(from, plan.size(), writer.rowsPerShard(), writer.committedShards());
            ShardJob job = new ShardJob(backboneSource, backbone.layers(), request.dataset().source().toAbsolutePath().toString(), request.split(),
                    request.dtype().label(), request.limit(), d.views(), request.seed(), request.batchSize(), request.workers(), threads, device,
                    request.skipBad(), backbone.sha256(), writer.directory().toString(), d.key().shortForm(), writer.shardFormat(), images);
            long start = System.nanoTime();
            Map<String, Double> timings = new TreeMap<>();
            long appended;
            try {
                appended = run(job, tasks, writer, skipped, timings);
            } finally {
                removeAttemptFiles(writer.directory());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> stats = FinishedExtraction.stats(seconds, appended, committed, backbone, request, images, skipped.size());
            stats.put("engine", "spark " + context.master());
            stats.put("partitions", tasks.size());
            stats.putAll(timings);
            Manifest m = writer.finish(stats, new ArrayList<>(skipped));
            return FinishedExtraction.result(d, at.layout(), request.split(), m, t0, appended, seconds, committed);
        }
    }

    /** Rows {@code from..rows-1} cut at multiples of {@code rowsPerShard}: each piece is the one shard a single writer would write there. */
    static List<ShardTask> partitions(int from, int rows, int rowsPerShard, int firstShard) {
        List<ShardTask> out = new ArrayList<>();
        for (int start = from; start < rows; ) {
            int end = (int) Math.min(rows, ((long) start / rowsPerShard + 1) * rowsPerShard);
            out.add(new ShardTask(out.size(), firstShard + out.size(), start, end));
            start = end;
        }
        return out;
    }

    /** Runs the tasks and commits their shards in order as they arrive; returns the rows committed. */
    private long run(ShardJob job, List<ShardTask> tasks, EntryWriter writer, LinkedHashSet<String> skipped, Map<String, Double> timings)
            throws InterruptedException {
        if (tasks.isEmpty()) return 0;
        BlockingQueue<ShardResult> arrived = new LinkedBlockingQueue<>();
        RDD<ShardTask> rdd = context.parallelize(tasks, tasks.size()).rdd();
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) all.add(i);
        Function2<Object, ShardResult, BoxedUnit> onResult = (index, result) -> {
            arrived.add(result);
            return BoxedUnit.UNIT;
        };
        Function0<BoxedUnit> done = () -> BoxedUnit.UNIT;
        SimpleFutureAction<BoxedUnit> action = context.sc().submitJob(rdd, new ShardWriter(job), CollectionConverters.asScala(all).toSeq(), onResult, done);
        Map<Integer, ShardResult> waiting = new HashMap<>();
        int next = 0;
        long rows = 0;
        try {
            while (next < tasks.size()) {
                ShardResult r = arrived.poll(200, TimeUnit.MILLISECONDS);
                if (r == null) {
                    if (action.isCompleted() && arrived.isEmpty()) failed(action);
                    continue;
                }
                waiting.put(r.task().index(), r);
                while (waiting.containsKey(next)) {
                    ShardResult c = waiting.remove(next);
                    rows += commit(c, writer, job.skipBad());
                    skipped.addAll(c.skippedIds());
                    c.timings().forEach((k, v) -> timings.merge(k, v, Double::sum));
                    next++;
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            action.cancel();
            throw e;
        }
        return rows;
    }

    /** Renames a finished task's shard into place and has the writer check and record it. */
    private static long commit(ShardResult r, EntryWriter writer, boolean skipBad) {
        ShardTask t = r.task();
        int planned = t.to() - t.from();
        if (!skipBad && r.rows() != planned) {
            throw new IllegalStateException("shard " + t.shard() + " came back with " + r.rows() + " rows for the " + planned + " of rows " + t.from() + ".." + (t.to() - 1));
        }
        if (r.tempFile() == null) return 0;
        String file = EntryFiles.shardName(writer.committedShards());
        try {
            AtomicFiles.rename(writer.directory().resolve(r.tempFile()), writer.directory().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + r.tempFile() + " as " + file + ": " + e.getMessage(), e);
        }
        writer.commitShardFile(file, r.rows(), r.bytes(), r.crc32c());
        return r.rows();
    }

    /** The job failed: rethrow what the task threw when it is one of Glimpse's one-line input errors. */
    private static void failed(SimpleFutureAction<BoxedUnit> action) {
        Try<BoxedUnit> outcome = action.value().get();
        if (outcome.isSuccess()) throw new IllegalStateException("the Spark job ended without returning every shard");
        Throwable t = outcome.failed().get();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ExtractInputException || c instanceof BadInputException) throw (RuntimeException) c;
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse(t.toString());
        throw new IllegalStateException("Spark job failed: " + message, t);
    }

    /** Temp shards of attempts that failed, were killed or lost a race; none is cache data. */
    private static void removeAttemptFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith(EntryFiles.SHARD_PREFIX) && f.endsWith(EntryFiles.TEMP_SUFFIX)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the entry's next writer removes them
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
