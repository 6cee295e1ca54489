package io.glimpse.eval.knn;

import io.glimpse.eval.report.AccuracyReport;
import io.glimpse.eval.report.ReportFiles;
import io.glimpse.eval.report.ReportSections;
import io.glimpse.eval.result.ResultFixtures;
import io.glimpse.eval.result.RunCollector;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A k-NN evaluation becomes a result.json the report reads as the knn row, with its grid as a section. */
class KnnReportTest {
    @TempDir
    Path tmp;

    @Test
    void knnResultIsAReportRowWithItsGrid() throws Exception {
        List<KnnCell> grid = List.of(new KnnCell(5, 0.07, 70.0, 95.0), new KnnCell(5, 0.1, 71.5, 95.5),
                new KnnCell(10, 0.07, 69.0, 96.0), new KnnCell(10, 0.1, 70.5, 96.5));
        KnnResult r = new KnnResult("hidden_state_4", KnnFeature.CLS, 600, 100, 128, 10, grid, WeightedVote.best(grid), 1.5, 0.5);
        Path runs = tmp.resolve("runs");
        Path file = KnnRunWriter.write(runs, r, new RunProvenance("fmnist-mae-vit", "fashion-mnist", "k1", "k2", 12.0));
        ResultFixtures.write(runs, "lin", ResultFixtures.full("linear", 1, 1290, 1290, 73.8, 28));

        RunResult read = ResultJson.read(file);
        assertTrue(read.isKnn());
        assertEquals(71.5, read.top1());
        assertEquals(0L, read.params());
        assertEquals(600L * 128, read.flopsPerSample());
        assertEquals(2.0, read.trainSeconds(), 1e-9);

        List<RunResult> all = new RunCollector().collect(List.of(runs));
        ReportFiles files = new AccuracyReport().write(all, tmp.resolve("report"), "", ReportSections.extra(all));
        String md = Files.readString(files.markdown());
        assertTrue(md.contains("| knn cls |"), md);
        assertTrue(md.contains("## k-NN grid: knn cls"), md);
        assertTrue(md.contains("| 5 | 70.00 (95.00) | **71.50 (95.50)** |"), md);
        assertTrue(md.contains("Not shown (no trainable parameters): knn cls"), md);
    }
}
