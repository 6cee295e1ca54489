package io.glimpse.spark;

import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.store.EntryFiles;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractionRun;
import io.glimpse.extract.pipeline.RowPlan;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.TaskContext;
import scala.Function1;
import scala.collection.Iterator;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The task: computes one partition's rows with the executor's shared backbone through the single-machine pipeline
 * and writes them as one shard, under a name unique to this attempt, fsynced. The driver renames it into place when
 * it commits; a failed attempt deletes its file, so retries and speculative duplicates never meet.
 */
final class ShardWriter implements Function1<Iterator<ShardTask>, ShardResult>, Serializable {
    private final ShardJob job;

    ShardWriter(ShardJob job) {
        this.job = job;
    }

    private ShardFileWriter open(Path file, BufferAllocator allocator) {
        try {
            return job.format().open(file, allocator);
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + job.entryName() + ": cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ShardResult apply(Iterator<ShardTask> tasks) {
        ShardTask task = tasks.next();
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        TestHooks.beforeTask();
        ExtractRequest request = job.request();
        OnnxBackbone backbone = ExecutorResources.backbone(new ExecutorResources.BackboneKey(job.backboneSource(), job.layers(), job.threads(), job.device()));
        if (!backbone.sha256().equals(job.modelSha())) {
            throw new ExtractInputException(request.backbone().onnxFile() + ": sha256 " + backbone.sha256() + " on this executor, but the driver keyed the entry with "
                    + job.modelSha() + "; every executor must see the same model file");
        }
        ImageDataset dataset = ExecutorResources.dataset(job.datasetSource(), job.split());
        RowPlan plan = job.plan();
        Path dir = Path.of(job.entryDir());
        String temp = EntryFiles.shardName(task.shard()) + ".attempt-" + (context == null ? 0 : context.taskAttemptId()) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + EntryFiles.TEMP_SUFFIX;
        List<String> layers = job.format().layers();
        try (BufferAllocator allocator = new RootAllocator()) {
            ShardFileWriter writer = open(dir.resolve(temp), allocator);
            try {
                LinkedHashSet<String> skipped = new LinkedHashSet<>();
                ExtractionRun run = new ExtractionRun(dataset, backbone, plan, job.views(), request);
                run.run((ids, labels, tokens, n) -> {
                    List<FloatBuffer> ordered = new ArrayList<>(layers.size());
                    for (String l : layers) ordered.add(tokens.get(l));
                    try {
                        writer.append(ids, labels, ordered, 0, n);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cache entry " + job.entryName() + ": writing " + temp + " failed: " + e.getMessage(), e);
                    }
                    TestHooks.afterFirstRows(task.shard(), attempt);
                }, task.from(), task.to(), job.format().rowsPerShard(), skipped);
                Map<String, Double> timings = new TreeMap<>();
                run.timings().forEach((k, v) -> timings.put(k, ((Number) v).doubleValue()));
                if (writer.rows() == 0) {
                    writer.abort();
                    return new ShardResult(task, null, 0, 0, "", new ArrayList<>(skipped), timings);
                }
                ShardFileWriter.Written w = writer.finish();
                if (alreadyCommitted(dir, task)) {
                    // a speculative duplicate that lost: the driver took the other attempt's file and may have finished
                    // the entry already, so nobody else would remove this one
                    Files.deleteIfExists(dir.resolve(temp));
                    return new ShardResult(task, null, 0, 0, "", new ArrayList<>(skipped), timings);
                }
                return new ShardResult(task, temp, w.rows(), w.bytes(), w.crc32c(), new ArrayList<>(skipped), timings);
            } catch (IOException e) {
                writer.abort();
                throw new UncheckedIOException("cache entry " + job.entryName() + ": writing " + temp + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                writer.abort();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("task interrupted", e);
            } catch (RuntimeException | Error e) {
                writer.abort();
                throw e;
            }
        }
    }

    /** The driver has committed this task's shard (from another attempt) or finished the entry. */
    private static boolean alreadyCommitted(Path dir, ShardTask task) {
        if (Files.exists(dir.resolve(EntryFiles.shardName(task.shard())))) return true;
        try {
            return new ManifestFiles().read(dir, dir.getFileName().toString()).status() == EntryStatus.COMPLETE;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
