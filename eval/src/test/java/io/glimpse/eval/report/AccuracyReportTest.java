package io.glimpse.eval.report;

import io.glimpse.eval.result.ResultFixtures;
import io.glimpse.eval.result.RunCollector;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccuracyReportTest {
    @TempDir
    Path tmp;

    private List<RunResult> fixtureRuns() throws Exception {
        Path runs = tmp.resolve("runs");
        ResultFixtures.write(runs, "linear-1", ResultFixtures.full("linear", 32, 1290, 1290, 73.80, 28));
        ResultFixtures.write(runs, "ep8-1", ResultFixtures.full("efficient", 8, 18698, 26000, 77.96, 211));
        ResultFixtures.write(runs, "ep32-1", ResultFixtures.full("efficient", 32, 21770, 60000, 77.96, 517));
        ResultFixtures.write(runs, "jepa-1", ResultFixtures.full("jepa", 1, 199690, 420000, 79.68, 377));
        // a minimal file: no FLOPs, no seconds, no params — must still be a table row
        ResultFixtures.write(runs, "cae-1", "{\"probe\": \"cae\", \"top1_best\": 84.36}");
        return new RunCollector().collect(List.of(runs));
    }

    @Test
    void writesEveryFormatWithOneRowPerRun() throws Exception {
        Path out = tmp.resolve("reports/demo");
        ReportFiles files = new AccuracyReport().write(fixtureRuns(), out, "From fixtures.", List.of());

        String md = Files.readString(files.markdown());
        for (String label : List.of("linear", "efficient M=8", "efficient M=32", "jepa", "cae")) {
            assertTrue(md.contains("| " + label + " |"), label + " missing in\n" + md);
        }
        assertTrue(md.contains("![Top-1 vs trainable parameters"));
        assertTrue(md.contains("Not shown (no trainable parameters): cae"), md);
        assertTrue(md.contains("`efficient`: efficient probing, Psomas et al.") && md.contains("`jepa`: V-JEPA"), "probe sources cited");
        assertFalse(md.contains("`cbam`"), "only the report's probes are cited");

        List<String> csv = Files.readAllLines(files.csv());
        assertEquals(6, csv.size());
        assertTrue(csv.get(0).startsWith("label,run_id,probe,"));
        // rows ordered by parameters; the run without params last
        assertTrue(csv.get(1).startsWith("linear,linear-1,linear,"), csv.get(1));
        assertTrue(csv.get(5).startsWith("cae,"), csv.get(5));

        String html = Files.readString(files.html());
        assertTrue(html.contains("<img src=\"top1_vs_flops.svg\""));
        assertTrue(html.contains("<td>efficient M=32</td>"));
        assertTrue(Files.readString(files.json()).contains("\"label\" : \"jepa\""));

        assertEquals(6, files.plots().size());
        for (String stem : List.of("top1_vs_params", "top1_vs_flops", "top1_vs_train_seconds")) {
            BufferedImage png = ImageIO.read(out.resolve(stem + ".png").toFile());
            assertEquals(AccuracyReport.WIDTH, png.getWidth());
            assertEquals(AccuracyReport.HEIGHT, png.getHeight());
            String svg = Files.readString(out.resolve(stem + ".svg"));
            assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), stem);
            assertTrue(svg.contains("efficient M=32") && svg.contains("jepa"), "labels are drawn in " + stem);
        }
        assertTrue(Files.readString(out.resolve("top1_vs_params.svg")).contains("trainable parameters (log scale)"));
    }

    @Test
    void complementarityIsShownWhenARunHasIt() throws Exception {
        Path runs = tmp.resolve("runs");
        ResultFixtures.write(runs, "ep", """
                {"probe": "efficient", "options": {"queries": 8}, "top1_best": 78.0, "params": 18698,
                 "complementarity": {"avg_similarity": 0.4321, "max_similarity": 0.8765, "entropy_mean": 2.5,
                                     "entropy_max": 3.8918, "queries": 8, "tokens": 49, "images": 100, "split": "test"}}""");
        ResultFixtures.write(runs, "lin", "{\"probe\": \"linear\", \"top1_best\": 73.0, \"params\": 1290}");
        ReportFiles files = new AccuracyReport().write(new RunCollector().collect(List.of(runs)), tmp.resolve("r"), "", List.of());
        String md = Files.readString(files.markdown());
        assertTrue(md.contains("| 0.4321 | 0.8765 | 2.5000 | 3.8918 |"), md);
        assertTrue(Files.readAllLines(files.csv()).get(2).contains("0.4321,0.8765,2.5,3.8918"));
    }

    @Test
    void attentionGridsDrawnIntoTheReportFolderAreShown() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("report/attention-ep"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out.resolve("attention-grid.png").toFile());
        List<RunResult> runs = fixtureRuns();
        ReportFiles files = new AccuracyReport().write(runs, tmp.resolve("report"), "", ReportSections.extra(runs, tmp.resolve("report")));
        assertTrue(Files.readString(files.markdown()).contains("](attention-ep/attention-grid.png)"));
        assertTrue(Files.readString(files.html()).contains("<img src=\"attention-ep/attention-grid.png\""));
    }

    @Test
    void documentTableDropsColumnsNoRunFills() throws Exception {
        ResultsTable table = new ResultsTable(fixtureRuns());
        List<String> headers = AccuracyReport.documentTable(table).header();
        assertTrue(headers.contains("params"));
        assertFalse(headers.contains("val top-1 best %"), "no run has a validation split");
        assertFalse(headers.contains("avg sim"), "no run has complementarity");
    }
}
