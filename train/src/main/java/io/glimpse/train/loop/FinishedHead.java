package io.glimpse.train.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.run.HeadState;
import io.glimpse.train.run.RecipeRecord;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A head at the end of its pass, saved into its run folder: states first, result.json last. */
final class FinishedHead {
    private FinishedHead() {
    }

    static RunResult save(HeadRun run, RunDirectory dir, TrainRequest request, int trainRows, int testRows, int headsInPass,
                          PassTimes times, NDManager root) {
        try (NDManager m = root.newSubManager(); NDList last = HeadState.capture(run.head, m)) {
            dir.writeStates(run.selectedState(), last);
        }
        List<EpochRecord> epochs = run.epochs;
        EpochRecord best = epochs.get(0);
        for (EpochRecord e : epochs) if (e.top1() > best.top1()) best = e;
        EpochRecord last = epochs.get(epochs.size() - 1);
        boolean validated = !Double.isNaN(last.valTop1());
        EpochRecord selected = epochs.get(run.selectedEpoch() - 1);
        Recipe recipe = request.recipe();
        RunProvenance prov = request.provenance();
        Map<String, Object> options = new TreeMap<>(run.head.optionsUsed());
        RecipeRecord recipeRecord = new RecipeRecord(recipe.optimizer().cliName(), run.peakLr, run.spec.blr(), recipe.batch(),
                recipe.warmupEpochs(), recipe.epochs(), run.schedule().name(), run.spec.weightDecay(), true);
        return dir.writeResult(new RunResult(dir.runId(), run.spec.probe(), options, null, prov.backbone(), prov.dataset(),
                run.spec.layer(), prov.trainCacheKey(), prov.testCacheKey(), run.head.parameterCount(),
                run.head.flopsPerSample(), epochs.size(), best.epoch(), best.top1(), last.top1(), last.top5(),
                validated ? selected.valTop1() : null, validated ? selected.epoch() : null,
                validated ? selected.top1() : null, round(times.trainSeconds), round(times.trainCpuSeconds),
                round(times.evalSeconds), round(times.samplesPerSecond()), prov.extractSeconds(), recipe.seed(), headsInPass,
                trainRows, testRows, recipeRecord, null, null, Instant.now().toString(), null, null, best.top5(),
                best.meanPerClass(), last.meanPerClass(), validated ? selected.meanPerClass() : null, null, null, null, null));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
