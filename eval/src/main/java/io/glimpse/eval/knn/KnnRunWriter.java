package io.glimpse.eval.knn;

import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunNames;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A k-NN evaluation as a run folder, so the report shows it beside the trained heads: the {@code knn} row has no
 * trainable parameters, FLOPs per sample = one dot product with every train vector (N_train·D multiply-adds),
 * top-1/top-5 of the best cell, and the whole grid under {@code knn}.
 */
public final class KnnRunWriter {
    private KnnRunWriter() {
    }

    /** Writes {@code runsDir/<time>-knn-<feature>-<layer>/result.json}; returns the file. */
    public static Path write(Path runsDir, KnnResult r, RunProvenance p) {
        RunDirectory dir = RunDirectory.create(runsDir, RunNames.knn(LocalDateTime.now(), r.feature().label(), r.layer()));
        return dir.writeResult(toResult(dir.runId(), r, p)).file();
    }

    private static RunResult toResult(String runId, KnnResult r, RunProvenance p) {
        String feature = r.feature().label();
        // options are configuration (the best cell is a result, under "knn"); no training: the cost is reading the
        // features plus the exhaustive search
        return new RunResult(runId, "knn", Map.of("feature", feature), feature, p.backbone(), p.dataset(), r.layer(),
                p.trainCacheKey(), p.testCacheKey(), 0L, (long) r.trainSize() * r.dim(), null, null, r.best().top1(), null,
                r.best().top5(), null, null, null, r.featureSeconds() + r.searchSeconds(), null, null,
                r.testSize() / Math.max(1e-9, r.searchSeconds()), p.extractSeconds(), null, null, r.trainSize(),
                r.testSize(), null, grid(r), null, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null,
                r.best().top5(), null, null, null, null, null, null, null);
    }

    private static Map<String, Object> grid(KnnResult r) {
        Map<String, Object> knn = new LinkedHashMap<>();
        knn.put("feature", r.feature().label());
        knn.put("train_size", r.trainSize());
        knn.put("test_size", r.testSize());
        knn.put("dim", r.dim());
        knn.put("classes", r.classes());
        knn.put("best", cell(r.best()));
        List<Map<String, Object>> grid = new ArrayList<>();
        for (KnnCell c : r.grid()) grid.add(cell(c));
        knn.put("grid", grid);
        knn.put("feature_seconds", r.featureSeconds());
        knn.put("search_seconds", r.searchSeconds());
        return knn;
    }

    private static Map<String, Object> cell(KnnCell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", c.k());
        m.put("temperature", c.temperature());
        m.put("top1", c.top1());
        m.put("top5", c.top5());
        return m;
    }
}
