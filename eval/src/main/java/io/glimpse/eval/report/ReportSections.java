package io.glimpse.eval.report;

import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Report sections beyond the main table: selection groups, few-shot series, the whole k-NN grid of every k-NN run. */
public final class ReportSections {
    private ReportSections() {
    }

    public static List<Document.Section> extra(List<RunResult> runs) {
        return extra(runs, null);
    }

    /** As above, plus attention-map grids already drawn into {@code reportDir/attention*}/ (glimpse attention --out). */
    public static List<Document.Section> extra(List<RunResult> runs, Path reportDir) {
        List<Document.Section> out = new ArrayList<>();
        if (reportDir != null) attentionGrids(reportDir).ifPresent(out::add);
        out.addAll(SelectionSections.of(runs));
        Map<RunResult, String> labels = ProbeLabels.of(runs);
        for (RunResult r : runs) {
            if (r.isKnn() && r.fields().get("knn") instanceof Map<?, ?> knn && knn.get("grid") instanceof List<?> grid) {
                out.add(knnGrid(labels.get(r), knn, grid));
            }
        }
        return out;
    }

    private static Optional<Document.Section> attentionGrids(Path reportDir) {
        List<Document.Block> blocks = new ArrayList<>();
        if (!Files.isDirectory(reportDir)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(reportDir)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("attention")).sorted().toList()) {
                Path grid = d.resolve("attention-grid.png");
                if (Files.isRegularFile(grid)) {
                    blocks.add(new Document.Picture(reportDir.relativize(grid).toString().replace('\\', '/'),
                            "Attention maps (" + d.getFileName() + "): one row per test image, the picture then one "
                                    + "overlay per query (colour and opacity: the 65th to 99th percentile of that map, as the "
                                    + "study draws them; a nearly uniform map still shows where its small preferences lie)."));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + reportDir, e);
        }
        return blocks.isEmpty() ? Optional.empty() : Optional.of(new Document.Section("Attention maps", blocks));
    }

    /** One table: a row per k, a column per temperature, top-1 (top-5) in the cells; the best cell in bold. */
    private static Document.Section knnGrid(String label, Map<?, ?> knn, List<?> grid) {
        TreeMap<Integer, TreeMap<Double, Map<?, ?>>> cells = new TreeMap<>();
        TreeSet<Double> temperatures = new TreeSet<>();
        for (Object o : grid) {
            if (!(o instanceof Map<?, ?> cell)) continue;
            int k = ((Number) cell.get("k")).intValue();
            double t = ((Number) cell.get("temperature")).doubleValue();
            temperatures.add(t);
            cells.computeIfAbsent(k, x -> new TreeMap<>()).put(t, cell);
        }
        Map<?, ?> best = knn.get("best") instanceof Map<?, ?> b ? b : Map.of();
        List<String> header = new ArrayList<>(List.of("k"));
        for (double t : temperatures) header.add("T=" + t);
        List<List<String>> rows = new ArrayList<>();
        cells.forEach((k, byT) -> {
            List<String> row = new ArrayList<>(List.of(String.valueOf(k)));
            for (double t : temperatures) {
                Map<?, ?> c = byT.get(t);
                if (c == null) {
                    row.add("–");
                    continue;
                }
                String v = String.format(Locale.ROOT, "%.2f (%.2f)", ((Number) c.get("top1")).doubleValue(),
                        ((Number) c.get("top5")).doubleValue());
                boolean isBest = best.get("k") instanceof Number bk && bk.intValue() == k
                        && best.get("temperature") instanceof Number bt && bt.doubleValue() == t;
                row.add(isBest ? "**" + v + "**" : v);
            }
            rows.add(row);
        });
        String text = "Top-1 (top-5) % on the test split; cosine similarity of L2-normalised `" + knn.get("feature")
                + "` vectors, exact search over " + knn.get("train_size") + " train rows, votes weighted by exp(sim/T) "
                + "(docs/heads.md#knn). The best cell (bold) is the k-NN row of the main table.";
        return new Document.Section("k-NN grid: " + label, List.of(new Document.Paragraph(text), new Document.Table(header, rows)));
    }
}
