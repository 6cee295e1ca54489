package io.glimpse.cli.train;

import io.glimpse.cli.CliInputException;
import io.glimpse.eval.closedform.ClosedFormEvaluation;
import io.glimpse.eval.closedform.ClosedFormProbe;
import io.glimpse.eval.closedform.ClosedFormResult;
import io.glimpse.eval.closedform.ClosedFormRunWriter;
import io.glimpse.eval.closedform.ClosedFormSettings;
import io.glimpse.eval.knn.KnnFeature;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunResult;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The part of a {@code glimpse train --probe ...} list that names closed-form linear probes (ridge, logreg): they are
 * fitted on one vector per image, not trained by the pass, and each writes its own run folder. The other names go
 * to the head planner as before.
 */
record ClosedFormProbes(List<ClosedFormProbe> probes, List<String> gradientProbes, String pool, double[] l2, double valFraction,
                        int shots, long seed) {

    /** Splits {@code --probe} values; refuses closed-form options that no closed-form probe would use. */
    static ClosedFormProbes of(List<String> probeOptions, String pool, double[] l2, double valFraction, int shots, long seed) {
        Set<ClosedFormProbe> closed = new LinkedHashSet<>();
        List<String> gradient = new ArrayList<>();
        for (String option : probeOptions) {
            for (String part : option.split(",")) {
                if (part.isBlank()) continue;
                ClosedFormProbe.find(part).ifPresentOrElse(closed::add, () -> gradient.add(part.trim()));
            }
        }
        if (closed.isEmpty() && (pool != null || l2 != null)) {
            throw new CliInputException((pool != null ? "--pool" : "--l2") + " applies to --probe " + String.join(" / ", ClosedFormProbe.names()) + " only");
        }
        if (pool != null) parsePool(pool);
        ClosedFormProbes p = new ClosedFormProbes(List.copyOf(closed), List.copyOf(gradient), pool, l2, valFraction, shots, seed);
        for (ClosedFormProbe probe : p.probes) p.settings(probe, "-", KnnFeature.CLS); // refuses a bad grid or fraction now
        return p;
    }

    boolean any() {
        return !probes.isEmpty();
    }

    /** The same probes on {@code shots} images per class (0 = all) drawn with {@code seed}. */
    ClosedFormProbes forDraw(int shots, long seed) {
        return new ClosedFormProbes(probes, gradientProbes, pool, l2, valFraction, shots, seed);
    }

    /** Fits every closed-form probe on every layer; prints one line per run; returns the runs as written. */
    List<RunResult> run(TrainSources sources, List<String> layers, Path runsDir, PrintWriter out, boolean quiet) {
        List<RunResult> written = new ArrayList<>();
        KnnFeature feature = pool != null ? parsePool(pool) : KnnFeature.defaultFor(sources.train().layout());
        ClosedFormEvaluation evaluation = new ClosedFormEvaluation(quiet ? null : new PrintStream(System.err, true));
        for (ClosedFormProbe probe : probes) {
            for (String layer : layers) {
                ClosedFormResult r = evaluation.run(sources.train(), sources.test(), sources.numClasses(), settings(probe, layer, feature));
                Path file = ClosedFormRunWriter.write(runsDir, r, sources.provenance(), seed);
                written.add(ResultJson.read(file));
                out.printf(Locale.ROOT, "train: %-6s %-4s layer %-18s l2 %.0e (val top1 %.2f of %d rows)  top1 %.2f  top5 %.2f  "
                                + "mean/class %.2f  params %,d  fit %.2f s  -> %s%n", probe.label(), r.pool().label(), layer,
                        r.chosen().l2(), r.chosen().valTop1(), r.valRows(), r.top1(), r.top5(), r.meanPerClass(), r.params(),
                        r.fitSeconds(), file.getParent());
                out.flush();
            }
        }
        return written;
    }

    private ClosedFormSettings settings(ClosedFormProbe probe, String layer, KnnFeature feature) {
        // the strength is chosen on a hold-out: without --val-fraction, a tenth of the train rows
        double fraction = valFraction > 0 ? valFraction : ClosedFormSettings.DEFAULT_VAL_FRACTION;
        return new ClosedFormSettings(probe, layer, feature, l2 != null ? l2 : probe.defaultGrid(), fraction, shots, seed);
    }

    private static KnnFeature parsePool(String pool) {
        return switch (pool.toLowerCase(Locale.ROOT)) {
            case "cls" -> KnnFeature.CLS;
            case "mean" -> KnnFeature.MEAN;
            default -> throw new CliInputException("--pool '" + pool + "' is not one of cls, mean");
        };
    }
}
