package io.glimpse.cli.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheStore;
import io.glimpse.cli.BadInput;
import io.glimpse.eval.complementarity.ComplementarityJob;
import io.glimpse.eval.head.TrainedHead;
import io.glimpse.eval.result.Complementarity;
import io.glimpse.eval.result.ResultJsonUpdate;
import io.glimpse.eval.result.RunResult;
import io.glimpse.eval.result.RunResultReader;
import io.glimpse.train.probe.ProbeInfo;
import io.glimpse.train.probe.ProbeRegistry;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fills in the complementarity metrics of every run whose head has attention and whose result.json lacks them:
 * rebuilds the head, runs its attention over the run's test cache, writes the numbers into result.json. A run
 * whose caches or state are gone is reported and left as it is; the report still shows it.
 */
final class ComplementarityStep {
    private static final ProbeRegistry PROBES = new ProbeRegistry();

    private ComplementarityStep() {
    }

    static List<RunResult> fillIn(List<RunResult> runs, CacheStore store, PrintWriter out, boolean progress) {
        List<RunResult> updated = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.isKnn() || r.complementarity() != null || !hasAttention(r.probe())) {
                updated.add(r);
                continue;
            }
            try {
                Optional<Complementarity> c = compute(r, store, progress);
                if (c.isPresent()) {
                    ResultJsonUpdate.putComplementarity(r.file(), c.get());
                    out.printf(Locale.ROOT, "eval: %s complementarity over %d test images: avg sim %s, max sim %s, entropy %.4f of %.4f nats%n",
                            r.runId(), c.get().images(), similarity(c.get().avgSimilarity()), similarity(c.get().maxSimilarity()),
                            c.get().meanEntropy(), c.get().maxEntropy());
                    updated.add(new RunResultReader().read(r.file()));
                    continue;
                }
            } catch (RuntimeException e) {
                if (!BadInput.is(e)) throw e;
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
        Path runDir = r.file().toAbsolutePath().getParent();
        try (EvalCaches caches = EvalCaches.fromRun(store, runDir);
             NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            int classes = Math.max(caches.train().numClasses(), caches.test().numClasses());
            try (TrainedHead head = TrainedHead.load(runDir, caches.train().layout(), classes, manager)) {
                String layer = head.layer() != null ? head.layer() : caches.test().layers().get(0);
                if (!progress) return ComplementarityJob.run(head.head(), caches.test(), layer, "test", manager, n -> { });
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("attention " + r.runId())
                        .setInitialMax(caches.test().size()).setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).showSpeed().build()) {
                    return ComplementarityJob.run(head.head(), caches.test(), layer, "test", manager, bar::stepBy);
                }
            }
        }
    }

    /** A single-query head has no pair of maps to compare: say so rather than print NaN. */
    private static String similarity(double v) {
        return Double.isNaN(v) ? "n/a (one query)" : String.format(Locale.ROOT, "%.4f", v);
    }
}
