package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.extract.backbone.OnnxBackbone;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every extraction engine (one JVM, Spark) records when it completes an entry, so the manifest's statistics
 * and the returned result cannot drift apart between engines.
 */
public final class FinishedExtraction {
    private FinishedExtraction() {
    }

    /** The manifest statistics of a run that appended {@code appended} rows in {@code seconds}; engines add their own after these. */
    public static Map<String, Object> stats(double seconds, long appended, long committed, OnnxBackbone backbone,
                                            ExtractRequest request, int images, int skipped) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put(Manifest.EXTRACT_SECONDS, seconds);
        stats.put("images_per_second", appended / Math.max(seconds, 1e-9));
        stats.put("rows_this_run", appended);
        stats.put("resumed_from_row", committed);
        stats.put("device", backbone.device());
        stats.put("threads", backbone.threads());
        stats.put("batch", request.batchSize());
        stats.put("workers", request.effectiveWorkers());
        stats.put("images", images);
        stats.put("skipped", skipped);
        return stats;
    }

    /** The result of a call that started at {@code t0} (nanoTime) and finished the entry whose manifest is {@code m}. */
    public static ExtractResult result(CacheDescription d, TokenLayout layout, String split, Manifest m, long t0,
                                       long appended, double seconds, long committed) {
        double total = (System.nanoTime() - t0) / 1e9;
        return new ExtractResult(d.key(), d, layout, split, false, m.rows(), m.shardBytes(), total,
                appended / Math.max(seconds, 1e-9), seconds, committed, m.skippedIds());
    }
}
