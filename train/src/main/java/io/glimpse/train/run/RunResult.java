package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run's {@code result.json} (docs/result-json.md#fields), the one schema every writer and reader of run folders
 * shares: the trainer (one per head), the k-NN evaluation (probe {@code knn}, its grid under {@code knn}) and eval's
 * complementarity update. Members are snake_case in JSON; every member is optional when read (older or hand-written
 * files) and omitted when null, except that a readable result names its {@code probe} and one test accuracy.
 *
 * <p>Accuracies are percent on the test split; {@code top1Best} and {@code bestEpoch} (1-based) follow the study (max
 * over epochs on test). With a validation hold-out, {@code valTop1Best} is the best validation top-1,
 * {@code valBestEpoch} its epoch and {@code testTop1AtValBest} the test top-1 there (the honest number).
 * {@code trainSeconds} is the wall time of the training pass without evaluation, shared by the {@code headsInPass}
 * heads trained together; {@code trainCpuSeconds} the process CPU time of the same span (on a shared machine wall
 * time mostly measures the neighbours). {@code glimpseVersion} and {@code gitCommit} name the build that wrote the
 * run. Members this schema does not name are kept in {@code extra} and written back, so a rewrite loses nothing.
 * {@code file} is where the result was read from or written to; it is not part of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
        String runId,
        String probe,
        Map<String, Object> options,
        String feature,
        @JsonDeserialize(using = NameOrDescription.class) String backbone,
        @JsonDeserialize(using = NameOrDescription.class) String dataset,
        String layer,
        String cacheKey,
        String testCacheKey,
        Long params,
        Long flopsPerSample,
        Integer epochs,
        Integer bestEpoch,
        Double top1Best,
        Double top1Last,
        Double top5Last,
        Double valTop1Best,
        Integer valBestEpoch,
        Double testTop1AtValBest,
        Double trainSeconds,
        Double trainCpuSeconds,
        Double evalSeconds,
        Double samplesPerSecond,
        Double extractSeconds,
        Integer seed,
        Integer headsInPass,
        Integer trainRows,
        Integer testRows,
        RecipeRecord recipe,
        Map<String, Object> knn,
        Complementarity complementarity,
        String created,
        String glimpseVersion,
        String gitCommit,
        Double top5Best,
        Double meanPerClassBest,
        Double meanPerClassLast,
        Double meanPerClassAtValBest,
        SelectionRecord selection,
        FewShotRecord fewShot,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra,
        @JsonIgnore Path file) {

    public RunResult {
        options = frozen(options);
        knn = knn == null ? null : frozen(knn);
        extra = frozen(extra);
    }

    // JSON may hold nulls, which Map.copyOf refuses; keep the order as read or written
    private static Map<String, Object> frozen(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The accuracy plotted and ranked: best-epoch test top-1, else last-epoch top-1. */
    public double top1() {
        return top1Best != null ? top1Best : top1Last;
    }

    /** k-NN evaluations are rows of the report but have no trained parameters. */
    @JsonIgnore
    public boolean isKnn() {
        return "knn".equals(probe);
    }

    /** Every member as result.json holds it (snake_case names, nulls left out), for generic tables and keys. */
    public Map<String, Object> fields() {
        return ResultJson.toMap(this);
    }

    public RunResult withComplementarity(Complementarity c) {
        return new RunResult(runId, probe, options, feature, backbone, dataset, layer, cacheKey, testCacheKey, params,
                flopsPerSample, epochs, bestEpoch, top1Best, top1Last, top5Last, valTop1Best, valBestEpoch,
                testTop1AtValBest, trainSeconds, trainCpuSeconds, evalSeconds, samplesPerSecond, extractSeconds, seed,
                headsInPass, trainRows, testRows, recipe, knn, c, created, glimpseVersion, gitCommit, top5Best, meanPerClassBest, meanPerClassLast,
                meanPerClassAtValBest, selection, fewShot, extra, file);
    }

    /** This run as a member of a selection group. */
    public RunResult withSelection(SelectionRecord s) {
        return new RunResult(runId, probe, options, feature, backbone, dataset, layer, cacheKey, testCacheKey, params,
                flopsPerSample, epochs, bestEpoch, top1Best, top1Last, top5Last, valTop1Best, valBestEpoch,
                testTop1AtValBest, trainSeconds, trainCpuSeconds, evalSeconds, samplesPerSecond, extractSeconds, seed,
                headsInPass, trainRows, testRows, recipe, knn, complementarity, created, glimpseVersion, gitCommit,
                top5Best, meanPerClassBest, meanPerClassLast, meanPerClassAtValBest, s, fewShot, extra, file);
    }

    /** This run as one draw of a few-shot series. */
    public RunResult withFewShot(FewShotRecord f) {
        return new RunResult(runId, probe, options, feature, backbone, dataset, layer, cacheKey, testCacheKey, params,
                flopsPerSample, epochs, bestEpoch, top1Best, top1Last, top5Last, valTop1Best, valBestEpoch,
                testTop1AtValBest, trainSeconds, trainCpuSeconds, evalSeconds, samplesPerSecond, extractSeconds, seed,
                headsInPass, trainRows, testRows, recipe, knn, complementarity, created, glimpseVersion, gitCommit,
                top5Best, meanPerClassBest, meanPerClassLast, meanPerClassAtValBest, selection, f, extra, file);
    }

    RunResult withBuild(BuildInfo build) {
        return new RunResult(runId, probe, options, feature, backbone, dataset, layer, cacheKey, testCacheKey, params,
                flopsPerSample, epochs, bestEpoch, top1Best, top1Last, top5Last, valTop1Best, valBestEpoch,
                testTop1AtValBest, trainSeconds, trainCpuSeconds, evalSeconds, samplesPerSecond, extractSeconds, seed,
                headsInPass, trainRows, testRows, recipe, knn, complementarity, created, build.version(), build.commit(),
                top5Best, meanPerClassBest, meanPerClassLast, meanPerClassAtValBest, selection, fewShot, extra, file);
    }

    RunResult withLocation(String id, Path resultFile) {
        return new RunResult(id, probe, options, feature, backbone, dataset, layer, cacheKey, testCacheKey, params,
                flopsPerSample, epochs, bestEpoch, top1Best, top1Last, top5Last, valTop1Best, valBestEpoch,
                testTop1AtValBest, trainSeconds, trainCpuSeconds, evalSeconds, samplesPerSecond, extractSeconds, seed,
                headsInPass, trainRows, testRows, recipe, knn, complementarity, created, glimpseVersion, gitCommit,
                top5Best, meanPerClassBest, meanPerClassLast, meanPerClassAtValBest, selection, fewShot, extra, resultFile);
    }
}
