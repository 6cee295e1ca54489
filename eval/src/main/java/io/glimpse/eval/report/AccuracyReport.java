package io.glimpse.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.eval.closedform.ClosedFormProbe;
import io.glimpse.eval.report.chart.ChartFiles;
import io.glimpse.eval.report.chart.ChartPoint;
import io.glimpse.eval.report.chart.ChartSpec;
import io.glimpse.eval.report.chart.ScatterCharts;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RunResult;
import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The accuracy-versus-compute report of {@code glimpse eval} (docs/README.md#commands): one table and three plots
 * (top-1 against trainable parameters, forward FLOPs per sample, and training seconds), written as report.md,
 * index.html, results.csv, results.json and PNG + SVG plots. Extra sections (k-NN grid, protocol study) are appended.
 */
public final class AccuracyReport {
    static final int WIDTH = 1000;
    static final int HEIGHT = 640;
    private static final String Y_LABEL = "test top-1 (%, best epoch)";
    private static final ProbeRegistry PROBES = new ProbeRegistry();

    /** A plot and the per-run value on its x axis (null when the run lacks it). */
    private record PlotAxis(ChartSpec spec, Function<RunResult, Number> x, String what) {
    }

    private static final List<PlotAxis> PLOTS = List.of(
            new PlotAxis(new ChartSpec("top1_vs_params", "Top-1 vs trainable parameters",
                    "trainable parameters (log scale)", Y_LABEL, true), RunResult::params, "trainable parameters"),
            new PlotAxis(new ChartSpec("top1_vs_flops", "Top-1 vs forward FLOPs per sample",
                    "forward multiply-adds per sample, head only, analytic (log scale)", Y_LABEL, true),
                    RunResult::flopsPerSample, "FLOPs per sample"),
            new PlotAxis(new ChartSpec("top1_vs_train_seconds", "Top-1 vs training time",
                    "training wall time in seconds (log scale)", Y_LABEL, true), RunResult::trainSeconds,
                    "training seconds"));

    public ReportFiles write(List<RunResult> runs, Path out, String provenance, List<Document.Section> extra)
            throws IOException {
        Files.createDirectories(out);
        ResultsTable table = new ResultsTable(runs);
        List<Path> plots = new ArrayList<>();
        List<Document.Block> plotBlocks = new ArrayList<>();
        for (PlotAxis axis : PLOTS) {
            List<ChartPoint> points = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (RunResult r : table.rows()) {
                Number x = axis.x().apply(r);
                if (x == null || x.doubleValue() <= 0) {
                    missing.add(table.label(r));
                } else {
                    PlotGroup group = PlotGroup.of(r.probe(), PROBES);
                    points.add(new ChartPoint(table.label(r), group.legend(), group.ordinal(), x.doubleValue(), r.top1()));
                }
            }
            if (points.isEmpty()) continue;
            JFreeChart chart = ScatterCharts.create(axis.spec(), points, WIDTH, HEIGHT);
            Path png = out.resolve(axis.spec().fileStem() + ".png");
            Path svg = out.resolve(axis.spec().fileStem() + ".svg");
            ChartFiles.writePng(chart, png, WIDTH, HEIGHT);
            ChartFiles.writeSvg(chart, svg, WIDTH, HEIGHT);
            plots.add(png);
            plots.add(svg);
            String caption = axis.spec().title() + "." + (missing.isEmpty() ? ""
                    : " Not shown (no " + axis.what() + "): " + String.join(", ", missing) + ".");
            plotBlocks.add(new Document.Plot(axis.spec().fileStem(), caption));
        }

        List<Document.Section> sections = new ArrayList<>();
        sections.add(new Document.Section("Runs", List.of(new Document.Paragraph(overview(table.rows(), provenance)))));
        List<Document.Block> tableBlocks = new ArrayList<>(List.of(documentTable(table), notes()));
        probeSources(table.rows()).ifPresent(tableBlocks::add);
        sections.add(new Document.Section("Accuracy versus compute", tableBlocks));
        if (!plotBlocks.isEmpty()) sections.add(new Document.Section("Plots", plotBlocks));
        sections.addAll(extra);
        Document doc = new Document("Glimpse report: accuracy versus compute", sections);

        Path md = out.resolve("report.md");
        Path html = out.resolve("index.html");
        Path csv = out.resolve("results.csv");
        Path json = out.resolve("results.json");
        Files.writeString(md, MarkdownRenderer.render(doc), StandardCharsets.UTF_8);
        Files.writeString(html, HtmlRenderer.render(doc), StandardCharsets.UTF_8);
        Files.writeString(csv, csv(table), StandardCharsets.UTF_8);
        writeJson(json, table);
        return new ReportFiles(out, md, csv, json, html, plots);
    }

    private static String overview(List<RunResult> runs, String provenance) {
        String backbones = distinct(runs, RunResult::backbone);
        String datasets = distinct(runs, RunResult::dataset);
        return runs.size() + " run(s)" + (backbones.isEmpty() ? "" : "; backbone " + backbones)
                + (datasets.isEmpty() ? "" : "; dataset " + datasets) + ". " + provenance
                + " Generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".";
    }

    private static String distinct(List<RunResult> runs, Function<RunResult, String> f) {
        return runs.stream().map(f).filter(v -> v != null).collect(Collectors.toCollection(TreeSet::new)).stream()
                .map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    }

    static Document.Table documentTable(ResultsTable table) {
        List<ResultsTable.Column> cols = table.documentColumns();
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : table.rows()) rows.add(cols.stream().map(c -> c.displayOf(r)).toList());
        return new Document.Table(cols.stream().map(ResultsTable.Column::header).toList(), rows);
    }

    private static Document.Paragraph notes() {
        return new Document.Paragraph("**params**: trainable parameters of the head (pooling + classifier; "
                + "docs/heads.md#parameter-counts). **FLOPs/sample**: analytic forward multiply-adds of the head per "
                + "sample, backbone excluded (docs/heads.md#flops); for k-NN the similarity search against the "
                + "train set. **top-1 best** is the best epoch on the test split as the study reports it; "
                + "**val top-1 best** is the honest number when part of train was held out. **train s**: training "
                + "wall time (from the cache, the backbone not in the loop, unless the run is marked online); heads trained in one pass over the cache share that pass's time "
                + "(**heads/pass**); **train CPU s** is the process CPU time of the same span, less sensitive to a busy "
                + "machine; **extract s**: the one-time cost of the "
                + "cache the run used. **avg sim / max sim / entropy**: complementarity of the attention maps over "
                + "the test split, Glimpse's definitions (docs/result-json.md#complementarity): mean pairwise cosine "
                + "similarity of the M maps of an image, mean over maps of the most similar other map, mean entropy of "
                + "one map in nats (ln N = uniform attention); lower similarity = more complementary queries.");
    }

    /** Where each probe of the report comes from, as the registry cites it. */
    private static Optional<Document.Paragraph> probeSources(List<RunResult> runs) {
        String sources = runs.stream().map(RunResult::probe).distinct().sorted()
                .flatMap(p -> PROBES.find(p).stream())
                .map(info -> "`" + info.name() + "`: " + info.citation())
                .collect(Collectors.joining("; "));
        if (runs.stream().anyMatch(r -> ClosedFormProbe.find(r.probe()).isPresent())) {
            sources += (sources.isEmpty() ? "" : "; ") + "`ridge`, `logreg`: closed-form linear probes on one vector per "
                    + "image (ridge regression to one-hot targets; multinomial logistic regression by L-BFGS), the L2 "
                    + "strength chosen on a held-out slice of train; no epochs, so top-1 best and last are the one test "
                    + "top-1 of the chosen strength, and train s is the fit of the whole grid plus the refit";
        }
        return sources.isEmpty() ? Optional.empty() : Optional.of(new Document.Paragraph("**Probes**: " + sources + "."));
    }

    private static String csv(ResultsTable table) {
        StringBuilder sb = new StringBuilder();
        sb.append(table.columns().stream().map(ResultsTable.Column::key).collect(Collectors.joining(","))).append('\n');
        for (RunResult r : table.rows()) {
            sb.append(table.columns().stream().map(c -> csvCell(c.csvOf(r))).collect(Collectors.joining(","))).append('\n');
        }
        return sb.toString();
    }

    private static String csvCell(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) return "\"" + v.replace("\"", "\"\"") + "\"";
        return v;
    }

    private static void writeJson(Path file, ResultsTable table) throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult r : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", table.label(r));
            m.put("run_id", r.runId());
            m.put("file", r.file().toString());
            r.fields().forEach(m::putIfAbsent);
            runs.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }
}
