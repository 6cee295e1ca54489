package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One trained head's {@code result.json} (DESIGN.md). Accuracies are percent on the test split; {@code top1Best}
 * and {@code bestEpoch} (1-based) follow the study (max over epochs on test). With a validation hold-out,
 * {@code valTop1Best} is the best validation top-1, {@code valBestEpoch} its epoch and {@code testTop1AtValBest}
 * the test top-1 there (the honest number); these are omitted otherwise. {@code trainSeconds} is the wall time of
 * the training pass without evaluation, shared by the {@code headsInPass} heads trained together;
 * {@code trainCpuSeconds} the process CPU time of the same span (a machine-load-independent cost: on a shared machine
 * wall time mostly measures the neighbours).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
        String runId,
        String probe,
        Map<String, Object> options,
        String backbone,
        String dataset,
        String layer,
        String cacheKey,
        String testCacheKey,
        long params,
        long flopsPerSample,
        int epochs,
        int bestEpoch,
        double top1Best,
        double top1Last,
        double top5Last,
        Double valTop1Best,
        Integer valBestEpoch,
        Double testTop1AtValBest,
        double trainSeconds,
        double trainCpuSeconds,
        double evalSeconds,
        double samplesPerSecond,
        double extractSeconds,
        int seed,
        int headsInPass,
        int trainRows,
        int testRows,
        RecipeRecord recipe,
        String created) {
}
