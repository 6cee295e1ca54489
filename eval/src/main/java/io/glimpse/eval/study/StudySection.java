package io.glimpse.eval.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.eval.report.Document;
import io.glimpse.eval.report.ProbeLabels;
import io.glimpse.eval.report.chart.ChartFiles;
import io.glimpse.eval.report.chart.ChartPoint;
import io.glimpse.eval.report.chart.ChartSpec;
import io.glimpse.eval.report.chart.ScatterCharts;
import io.glimpse.train.run.RecipeRecord;
import io.glimpse.train.run.RunResult;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The recipe study's report section and {@code study.json}: each probe's recipe chosen on validation, its test top-1
 * (beside the study's best-epoch-on-test, labelled), and accuracy against parameters and against FLOPs per sample
 * with the Pareto front marked (points on it in their own colour, and listed).
 */
public final class StudySection {
    static final String PARAMS_STEM = "study_top1_vs_params";
    static final String FLOPS_STEM = "study_top1_vs_flops";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;
    private static final String Y_LABEL = "test top-1 (%), recipe and epoch chosen on validation";

    /** A cost axis: its name, its per-run value, the plot's file stem and x label. */
    private record Cost(String name, ToDoubleFunction<RunResult> value, String stem, String xLabel) {
    }

    private static final List<Cost> COSTS = List.of(
            new Cost("params", r -> r.params() == null ? 0 : r.params(), PARAMS_STEM, "trainable parameters (log scale)"),
            new Cost("flops", r -> r.flopsPerSample() == null ? 0 : r.flopsPerSample(), FLOPS_STEM,
                    "forward multiply-adds per sample, head only (log scale)"));

    private StudySection() {
    }

    /** The accuracy a study point is ranked by: test top-1 at the validation-selected epoch. */
    static double selectedTop1(RunResult r) {
        return r.testTop1AtValBest() != null ? r.testTop1AtValBest() : r.top1();
    }

    public static Document.Section write(StudyRuns study, Path outDir) throws IOException {
        List<StudyChoice> choices = StudySelection.choose(study.runs());
        List<StudyChoice> points = StudySelection.longest(choices);
        List<RunResult> selected = points.stream().map(StudyChoice::selected).toList();
        Map<RunResult, String> labels = ProbeLabels.of(selected);
        // every run of a configuration goes by the label of its plotted point; the recipe columns tell them apart
        Map<String, String> byConfiguration = new LinkedHashMap<>();
        labels.forEach((r, l) -> byConfiguration.put(StudySelection.configuration(r), l));
        Map<RunResult, String> allLabels = new java.util.IdentityHashMap<>();
        for (RunResult r : study.runs()) allLabels.put(r, byConfiguration.getOrDefault(StudySelection.configuration(r), r.probe()));

        List<Document.Block> blocks = new ArrayList<>();
        blocks.add(new Document.Paragraph("Each probe's recipe (optimizer, base learning rate, weight decay) and epoch "
                + "are chosen on a held-out slice of train (`--val-fraction`), across every grid of the study; **test top-1 "
                + "(val-selected)** is the test accuracy of that choice, the honest number. **test top-1 (best epoch on "
                + "test)** is the study's protocol for the same run (the best epoch on the test split itself), shown "
                + "for comparison only. One point per probe, at its longest schedule; the Pareto front (no other "
                + "probe is at least as accurate for at most the same cost) is drawn in its own colour and listed."));
        Map<String, List<RunResult>> fronts = new LinkedHashMap<>();
        for (Cost c : COSTS) {
            List<RunResult> costed = selected.stream().filter(r -> c.value().applyAsDouble(r) > 0).toList();
            List<RunResult> front = ParetoFront.of(costed, c.value(), StudySection::selectedTop1);
            fronts.put(c.name(), front);
            plot(c, costed, front, labels, outDir);
        }
        blocks.add(selectedTable(choices, fronts, allLabels));
        for (Cost c : COSTS) {
            List<RunResult> front = fronts.get(c.name());
            List<List<String>> rows = front.stream().map(r -> List.of(labels.get(r), count(c.value().applyAsDouble(r)),
                    pct(selectedTop1(r)))).toList();
            blocks.add(new Document.Paragraph("**Pareto front, " + (c.name().equals("params") ? "parameters" : "FLOPs per sample")
                    + "** (by increasing cost: the best val-selected accuracy available for at most that cost)."));
            blocks.add(new Document.Table(List.of("probe", c.name().equals("params") ? "params" : "FLOPs/sample",
                    "test top-1 (val-selected) %"), rows));
            blocks.add(new Document.Plot(c.stem(), "Recipe study: test top-1 (val-selected) against "
                    + (c.name().equals("params") ? "trainable parameters" : "forward FLOPs per sample")
                    + "; Pareto front in its own colour."));
        }
        blocks.add(gridTable(study.runs(), allLabels));
        blocks.add(new Document.Paragraph(budget(study)));
        List<RunResult> left = StudySelection.unselectable(study.runs());
        if (!left.isEmpty()) {
            blocks.add(new Document.Paragraph("Not selectable (no validation split): "
                    + left.stream().map(RunResult::runId).collect(Collectors.joining(", ")) + "."));
        }
        writeJson(study, choices, fronts, labels, allLabels, outDir.resolve("study.json"));
        return new Document.Section("Recipe study: accuracy versus cost under a tuned recipe", blocks);
    }

    private static boolean on(List<RunResult> front, RunResult r) {
        return front.stream().anyMatch(f -> f == r);
    }

    private static void plot(Cost c, List<RunResult> runs, List<RunResult> front, Map<RunResult, String> labels, Path outDir)
            throws IOException {
        List<ChartPoint> points = new ArrayList<>();
        for (RunResult r : runs) {
            boolean on = on(front, r);
            points.add(new ChartPoint(labels.get(r), on ? "on the Pareto front" : "dominated", on ? 1 : 0,
                    c.value().applyAsDouble(r), selectedTop1(r)));
        }
        if (points.isEmpty()) return;
        JFreeChart chart = ScatterCharts.create(new ChartSpec(c.stem(), "Recipe study: top-1 vs "
                + (c.name().equals("params") ? "parameters" : "FLOPs per sample"), c.xLabel(), Y_LABEL, true), points, WIDTH, HEIGHT);
        // the front as a staircase: the best accuracy available for at most each cost
        XYSeries steps = new XYSeries("Pareto front", false, true);
        for (RunResult r : front) steps.add(c.value().applyAsDouble(r), selectedTop1(r));
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(1, new XYSeriesCollection(steps));
        XYStepRenderer line = new XYStepRenderer();
        line.setSeriesPaint(0, new Color(0xd62728));
        line.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        line.setSeriesVisibleInLegend(0, false);
        plot.setRenderer(1, line);
        ChartFiles.writePng(chart, outDir.resolve(c.stem() + ".png"), WIDTH, HEIGHT);
        ChartFiles.writeSvg(chart, outDir.resolve(c.stem() + ".svg"), WIDTH, HEIGHT);
    }

    private static Document.Table selectedTable(List<StudyChoice> choices, Map<String, List<RunResult>> fronts,
                                                Map<RunResult, String> labels) {
        List<List<String>> rows = new ArrayList<>();
        for (StudyChoice ch : choices) {
            RunResult r = ch.selected();
            rows.add(List.of(labels.get(r), String.valueOf(ch.epochs()), String.valueOf(ch.candidates().size()),
                    recipe(r), r.valBestEpoch() == null ? "–" : String.valueOf(r.valBestEpoch()), pct(r.valTop1Best()),
                    pct(selectedTop1(r)), pct(r.top1Best()) + (r.bestEpoch() == null ? "" : " @" + r.bestEpoch()),
                    r.params() == null ? "–" : count(r.params()), r.flopsPerSample() == null ? "–" : count(r.flopsPerSample()),
                    r.trainCpuSeconds() == null ? "–" : String.format(Locale.ROOT, "%.0f", r.trainCpuSeconds()),
                    on(fronts.get("params"), r) ? "✓" : "", on(fronts.get("flops"), r) ? "✓" : ""));
        }
        return new Document.Table(List.of("probe", "epochs", "recipes tried", "chosen recipe", "chosen epoch",
                "val top-1 %", "test top-1 (val-selected) %", "test top-1 (best epoch on test) %", "params",
                "FLOPs/sample", "pass CPU s", "front (params)", "front (FLOPs)"), rows);
    }

    private static Document.Table gridTable(List<RunResult> runs, Map<RunResult, String> labels) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.isKnn()) continue;
            rows.add(List.of(labels.get(r), String.valueOf(r.epochs()), recipe(r), pct(r.valTop1Best()),
                    pct(r.testTop1AtValBest()), pct(r.top1Best())));
        }
        return new Document.Table(List.of("probe", "epochs", "recipe", "val top-1 %", "test top-1 (val-selected) %",
                "test top-1 (best epoch on test) %"), rows);
    }

    private static String budget(StudyRuns study) {
        if (study.commands().isEmpty()) {
            return "**Budget**: no " + StudyRuns.COMMANDS + " beside the runs; per-pass CPU seconds are in the table above.";
        }
        String protocol = study.protocolCommands().isEmpty() ? "" : String.format(Locale.ROOT,
                " The protocol study, budgeted apart (extractions, online passes and evaluations included): %.0f CPU s and %.0f s wall.",
                study.protocolTotal("cpu_seconds"), study.protocolTotal("wall_seconds"));
        return String.format(Locale.ROOT, "**Budget**: %d `glimpse train` command(s), %.0f training pass(es), %.0f CPU s "
                        + "(%.2f CPU h) and %.0f s wall in all (from %s, written by bench/study.sh).",
                study.trainingCommands().size(), study.total("passes"), study.total("cpu_seconds"),
                study.total("cpu_seconds") / 3600, study.total("wall_seconds"), StudyRuns.COMMANDS) + protocol;
    }

    static String recipe(RunResult r) {
        RecipeRecord rec = r.recipe();
        if (rec == null) return "–";
        return (rec.optimizer() == null ? "?" : rec.optimizer()) + " blr " + num(rec.blr())
                + (rec.weightDecay() == null || rec.weightDecay() == 0 ? "" : " wd " + num(rec.weightDecay()));
    }

    private static String num(Double v) {
        return v == null ? "?" : new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    private static void writeJson(StudyRuns study, List<StudyChoice> choices, Map<String, List<RunResult>> fronts,
                                  Map<RunResult, String> labels, Map<RunResult, String> allLabels, Path file) throws IOException {
        List<Map<String, Object>> probes = new ArrayList<>();
        for (StudyChoice ch : choices) {
            RunResult r = ch.selected();
            Map<String, Object> m = row(r, allLabels.get(r));
            m.put("recipes_tried", ch.candidates().size());
            m.put("on_params_front", on(fronts.get("params"), r));
            m.put("on_flops_front", on(fronts.get("flops"), r));
            probes.add(m);
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult r : study.runs()) if (!r.isKnn()) runs.add(row(r, allLabels.get(r)));
        Map<String, Object> pareto = new LinkedHashMap<>();
        fronts.forEach((name, front) -> pareto.put(name, front.stream().map(labels::get).toList()));
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("commands", study.trainingCommands().size());
        budget.put("passes", Math.round(study.total("passes")));
        budget.put("cpu_seconds", study.total("cpu_seconds"));
        budget.put("wall_seconds", study.total("wall_seconds"));
        budget.put("by_command", study.trainingCommands());
        if (!study.protocolCommands().isEmpty()) {
            budget.put("protocol_study", Map.of("cpu_seconds", study.protocolTotal("cpu_seconds"), "wall_seconds", study.protocolTotal("wall_seconds")));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("selection", "per probe configuration and schedule length, the run and epoch with the best validation "
                + "top-1 across every grid; test_top1_val_selected is its test top-1, top1_best_epoch_on_test the study's "
                + "best epoch on the test split (for comparison, not for selection)");
        root.put("probes", probes);
        root.put("pareto_front", pareto);
        root.put("budget", budget);
        root.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Map<String, Object> row(RunResult r, String label) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("probe", r.probe());
        m.put("options", r.options());
        m.put("layer", r.layer());
        m.put("epochs", r.epochs());
        RecipeRecord rec = r.recipe();
        if (rec != null) {
            m.put("optimizer", rec.optimizer());
            m.put("blr", rec.blr());
            m.put("lr", rec.lr());
            m.put("weight_decay", rec.weightDecay());
        }
        m.put("val_top1_best", r.valTop1Best());
        m.put("val_best_epoch", r.valBestEpoch());
        m.put("test_top1_val_selected", r.testTop1AtValBest());
        m.put("top1_best_epoch_on_test", r.top1Best());
        m.put("best_epoch_on_test", r.bestEpoch());
        m.put("params", r.params());
        m.put("flops_per_sample", r.flopsPerSample());
        m.put("train_seconds", r.trainSeconds());
        m.put("train_cpu_seconds", r.trainCpuSeconds());
        m.put("heads_in_pass", r.headsInPass());
        m.put("run_id", r.runId());
        return m;
    }
}
