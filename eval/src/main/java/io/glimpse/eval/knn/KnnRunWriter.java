package io.glimpse.eval.knn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a k-NN evaluation as {@code runs/<run-id>/result.json} in the DESIGN.md schema, so the report shows it
 * as the {@code knn} row: no trainable parameters, FLOPs per sample = one dot product with every train vector
 * (N_train·D multiply-adds), top-1/top-5 of the best cell, the whole grid under {@code knn}. Written through a
 * temporary file and a rename, like the trainer's results.
 */
public final class KnnRunWriter {
    /** Where the tokens came from: names and cache keys, and the one-time extraction cost of the train cache. */
    public record Provenance(String backbone, String dataset, String trainCacheKey, String testCacheKey, Double extractSeconds) {
    }

    private KnnRunWriter() {
    }

    public static Path write(Path runsDir, KnnResult r, Provenance p) {
        try {
            Path dir = newRunDirectory(runsDir, "knn-" + r.feature().label() + "-" + r.layer() + "-"
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "").replace("-", ""));
            Map<String, Object> json = toJson(dir.getFileName().toString(), r, p);
            Path tmp = dir.resolve(".result.json.tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            Path target = dir.resolve("result.json");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the k-NN result under " + runsDir, e);
        }
    }

    static Map<String, Object> toJson(String runId, KnnResult r, Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("probe", "knn");
        // options are configuration (the best cell is a result, under "knn")
        m.put("options", Map.of("feature", r.feature().label()));
        m.put("feature", r.feature().label());
        m.put("backbone", p.backbone());
        m.put("dataset", p.dataset());
        m.put("layer", r.layer());
        m.put("cache_key", p.trainCacheKey());
        m.put("test_cache_key", p.testCacheKey());
        m.put("params", 0);
        m.put("flops_per_sample", (long) r.trainSize() * r.dim());
        m.put("top1_best", r.best().top1());
        m.put("top5_last", r.best().top5());
        // no training: the cost is reading the features plus the exhaustive search
        m.put("train_seconds", r.featureSeconds() + r.searchSeconds());
        m.put("samples_per_second", r.testSize() / Math.max(1e-9, r.searchSeconds()));
        if (p.extractSeconds() != null) m.put("extract_seconds", p.extractSeconds());
        m.put("train_rows", r.trainSize());
        m.put("test_rows", r.testSize());
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
        m.put("knn", knn);
        m.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }

    private static Map<String, Object> cell(KnnCell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", c.k());
        m.put("temperature", c.temperature());
        m.put("top1", c.top1());
        m.put("top5", c.top5());
        return m;
    }

    private static Path newRunDirectory(Path runsDir, String name) throws IOException {
        Files.createDirectories(runsDir);
        for (int i = 1; ; i++) {
            Path dir = runsDir.resolve(i == 1 ? name : name + "-" + i);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next suffix
            }
        }
    }
}
