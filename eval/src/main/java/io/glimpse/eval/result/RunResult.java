package io.glimpse.eval.result;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trained head's {@code result.json} (DESIGN.md "Run results"), as the report reads it. Only {@code probe}
 * and one accuracy are required; every other field may be absent in older or hand-written files and is then
 * null (boxed types), shown as "–" and left out of the plots that need it. {@code fields} keeps every field as
 * read, so results.json of the report loses nothing the trainer wrote.
 */
public record RunResult(
        String runId,
        Path file,
        Instant written,
        String probe,
        Map<String, Object> options,
        String backbone,
        String dataset,
        String layer,
        String cacheKey,
        Long params,
        Long flopsPerSample,
        Integer epochs,
        Integer bestEpoch,
        Double top1Best,
        Double top1Last,
        Double top5Last,
        Double valTop1Best,
        Double trainSeconds,
        Double samplesPerSecond,
        Double extractSeconds,
        Long seed,
        Map<String, Object> recipe,
        Complementarity complementarity,
        Map<String, Object> fields) {

    public RunResult {
        options = frozen(options);
        recipe = frozen(recipe);
        fields = frozen(fields);
    }

    // JSON may hold nulls, which Map.copyOf refuses; keep insertion order for results.json
    private static Map<String, Object> frozen(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The accuracy plotted and ranked: best-epoch test top-1, else last-epoch top-1. */
    public double top1() {
        return top1Best != null ? top1Best : top1Last;
    }

    /** k-NN evaluations are rows of the report but have no trained parameters. */
    public boolean isKnn() {
        return "knn".equals(probe);
    }
}
