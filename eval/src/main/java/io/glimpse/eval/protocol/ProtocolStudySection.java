package io.glimpse.eval.protocol;

import io.glimpse.eval.report.Document;
import io.glimpse.eval.report.chart.ChartFiles;
import io.glimpse.eval.report.chart.ChartPoint;
import io.glimpse.eval.report.chart.ChartSpec;
import io.glimpse.eval.report.chart.ScatterCharts;
import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The protocol study's report section: one table (accuracy, backbone passes, wall time per probe and protocol)
 * and one plot (top-1 against total wall time, extraction included) — the measured answer to "how much accuracy
 * does caching cost, and how much time does it save".
 */
public final class ProtocolStudySection {
    static final String STEM = "protocol_study";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;

    private ProtocolStudySection() {
    }

    public static Document.Section write(List<ProtocolRun> runs, Path outDir) throws IOException {
        List<ProtocolRun> rows = new ArrayList<>(runs);
        rows.sort(Comparator.comparing(ProtocolRun::probe).thenComparing(r -> order(r.protocol())).thenComparingInt(ProtocolRun::views));
        List<List<String>> cells = new ArrayList<>();
        List<ChartPoint> points = new ArrayList<>();
        for (ProtocolRun r : rows) {
            cells.add(List.of(r.probe(), r.protocol(), String.valueOf(r.views()), String.valueOf(r.epochs()),
                    String.format(Locale.ROOT, "%.2f", r.top1Best()),
                    r.top1Last() == null ? "–" : String.format(Locale.ROOT, "%.2f", r.top1Last()),
                    String.format(Locale.ROOT, "%,d", r.backbonePasses()),
                    String.format(Locale.ROOT, "%.1f", r.extractSeconds()), String.format(Locale.ROOT, "%.1f", r.trainSeconds()),
                    String.format(Locale.ROOT, "%.1f", r.evalSeconds()), String.format(Locale.ROOT, "%.1f", r.totalSeconds())));
            points.add(new ChartPoint(r.label(), r.protocol().equals("online") ? "online (backbone in the loop)"
                    : r.protocol().equals("views") ? "cache of K augmented views" : "plain cache", order(r.protocol()),
                    r.totalSeconds(), r.top1Best()));
        }
        JFreeChart chart = ScatterCharts.create(new ChartSpec(STEM, "Protocol study: accuracy vs wall time",
                "total wall time in seconds: extraction + training + evaluation (log scale)", "test top-1 (%, best epoch)", true), points, WIDTH, HEIGHT);
        ChartFiles.writePng(chart, outDir.resolve(STEM + ".png"), WIDTH, HEIGHT);
        ChartFiles.writeSvg(chart, outDir.resolve(STEM + ".svg"), WIDTH, HEIGHT);
        String text = "The same probes trained (a) from a plain cache (one backbone pass per image, extracted once), "
                + "(b) from caches of K augmented views per training image (one view drawn per image and epoch), "
                + "(c) online: the frozen backbone runs on every batch of every epoch with fresh augmentation (the "
                + "study's protocol). **backbone passes**: images the backbone processed for that run, test split "
                + "included; **extract s**: the one-time extraction of the caches it read; **eval s**: the per-epoch test evaluations (online, "
                + "the backbone runs on the test split there too); **total s** = extract + train + eval. Heads trained in "
                + "one pass share its times.";
        return new Document.Section("Protocol study: cache vs augmented views vs online", List.of(new Document.Paragraph(text),
                new Document.Table(List.of("probe", "protocol", "views", "epochs", "top-1 best %", "top-1 last %",
                        "backbone passes", "extract s", "train s", "eval s", "total s"), cells),
                new Document.Plot(STEM, "Protocol study: top-1 against total wall time (extraction + training + evaluation).")));
    }

    private static int order(String protocol) {
        return switch (protocol) {
            case "cache" -> 0;
            case "views" -> 1;
            default -> 2;
        };
    }
}
