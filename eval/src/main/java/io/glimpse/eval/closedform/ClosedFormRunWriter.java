package io.glimpse.eval.closedform;

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
 * A closed-form fit as a run folder, so the report shows it beside the trained heads: probe {@code ridge} or
 * {@code logreg}, options {@code pool}, the chosen {@code l2} and the {@code l2_grid}; top-1 best and last are the
 * one test top-1 of the refit model (there are no epochs), and so are top-5 and mean-per-class best, last and at the
 * validation choice; the grid's validation accuracies and the hold-out size under {@code closed_form}.
 */
public final class ClosedFormRunWriter {
    public static final String DETAILS = "closed_form";

    private ClosedFormRunWriter() {
    }

    /** Writes {@code runsDir/<time>-<probe>-<pool>-<layer>/result.json}; returns the file. */
    public static Path write(Path runsDir, ClosedFormResult r, RunProvenance p, long seed) {
        RunDirectory dir = RunDirectory.create(runsDir, RunNames.closedForm(LocalDateTime.now(), r.probe().label(), r.pool().label(), r.layer()));
        return dir.writeResult(toResult(dir.runId(), r, p, seed)).file();
    }

    static RunResult toResult(String runId, ClosedFormResult r, RunProvenance p, long seed) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("pool", r.pool().label());
        options.put("l2", r.chosen().l2());
        options.put("l2_grid", r.grid().stream().map(GridPoint::l2).toList());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(DETAILS, details(r));
        extra.put("val_rows", r.valRows());
        // a linear classifier on one vector: D·C multiply-adds a sample, as the linear probes count them
        long flops = (long) r.dim() * r.classes();
        return new RunResult(runId, r.probe().label(), options, r.pool().label(), p.backbone(), p.dataset(), r.layer(),
                p.trainCacheKey(), p.testCacheKey(), r.params(), flops, null, null, r.top1(), r.top1(), r.top5(),
                r.chosen().valTop1(), null, r.top1(), r.fitSeconds(), null, null, null, p.extractSeconds(), (int) seed,
                1, r.trainRows(), r.testRows(), null, null, null, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                null, null, r.top5(), r.meanPerClass(), r.meanPerClass(), r.meanPerClass(), null, null, extra, null);
    }

    private static Map<String, Object> details(ClosedFormResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l2", r.chosen().l2());
        m.put("l2_scale", r.probe() == ClosedFormProbe.RIDGE ? "mean eigenvalue of the centred covariance"
                : "per-feature standardised features, mean cross-entropy, l2 / fitted rows");
        m.put("val_top1", r.chosen().valTop1());
        m.put("top5", r.top5());
        m.put("mean_per_class", r.meanPerClass());
        m.put("fit_rows", r.fitRows());
        m.put("val_rows", r.valRows());
        m.put("dim", r.dim());
        m.put("classes", r.classes());
        m.put("feature_seconds", r.featureSeconds());
        m.put("fit_seconds", r.fitSeconds());
        List<Map<String, Object>> grid = new ArrayList<>();
        for (GridPoint g : r.grid()) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("l2", g.l2());
            cell.put("val_top1", g.valTop1());
            if (g.iterations() != null) cell.put("iterations", g.iterations());
            grid.add(cell);
        }
        m.put("grid", grid);
        return m;
    }
}
