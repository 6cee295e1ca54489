package io.glimpse.eval.complementarity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheStore;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.head.TrainedRun;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeInfo;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.Complementarity;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fills in the complementarity metrics of every run whose head has attention and whose result.json lacks them:
 * rebuilds the head, runs its attention over the run's test cache, writes the numbers into result.json. A run
 * whose caches or state are gone is reported and left as it is; the report still shows it.
 */
public final class ComplementarityStep {
    private static final ProbeRegistry PROBES = new ProbeRegistry();

    private ComplementarityStep() {
    }

    /** The runs, those that gained metrics as their result.json now reads. */
    public static List<RunResult> fillIn(List<RunResult> runs, CacheStore store, PrintWriter out, boolean progress) {
        List<RunResult> updated = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.isKnn() || r.complementarity() != null || !hasAttention(r.probe())) {
                updated.add(r);
                continue;
            }
            try {
                Optional<Complementarity> c = compute(r, store, progress);
                if (c.isPresent()) {
                    updated.add(RunDirectory.open(r.file()).updateResult(old -> old.withComplementarity(c.get())));
                    out.printf(Locale.ROOT, "eval: %s complementarity over %d test images: avg sim %s, max sim %s, entropy %.4f of %.4f nats%n",
                            r.runId(), c.get().images(), similarity(c.get().avgSimilarity()), similarity(c.get().maxSimilarity()),
                            c.get().meanEntropy(), c.get().maxEntropy());
                    continue;
                }
            } catch (BadInputException | TrainInputException | EvalInputException e) {
                out.println("eval: " + r.runId() + ": no complementarity (" + e.getMessage() + ")");
            }
            updated.add(r);
        }
        return updated;
    }

    private static boolean hasAttention(String probe) {
        return PROBES.find(probe).map(ProbeInfo::attentionMaps).orElse(false);
    }

    private static Optional<Complementarity> compute(RunResult r, CacheStore store, boolean progress) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
             TrainedRun run = TrainedRun.open(r.file(), store, manager)) {
            if (!progress) return ComplementarityJob.run(run.head().head(), run.test(), run.layer(), "test", manager, n -> { });
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("attention " + r.runId())
                    .setInitialMax(run.test().size()).setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).showSpeed().build()) {
                return ComplementarityJob.run(run.head().head(), run.test(), run.layer(), "test", manager, bar::stepBy);
            }
        }
    }

    /** A single-query head has no pair of maps to compare: say so rather than print NaN. */
    private static String similarity(double v) {
        return Double.isNaN(v) ? "n/a (one query)" : String.format(Locale.ROOT, "%.4f", v);
    }
}
