package io.glimpse.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.TinyCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosedFormTrainTest {
    @TempDir
    Path tmp;

    @Test
    void ridgeAndLogregWriteRunsThatTheReportShows() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 200, 60, 4);
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of("train", "--probe", "ridge,logreg", "--pool", "mean", "--cache", caches.root(),
                "--train-cache", caches.train(), "--test-cache", caches.test(), "--runs", runs.toString(), "--quiet").assertOk();
        assertTrue(r.out().contains("train: ridge") && r.out().contains("train: logreg"), r.out());
        List<Path> results;
        try (Stream<Path> s = Files.walk(runs)) {
            results = s.filter(p -> p.getFileName().toString().equals("result.json")).sorted().toList();
        }
        assertEquals(2, results.size(), results.toString());
        ObjectMapper json = new ObjectMapper();
        for (Path file : results) {
            JsonNode j = json.readTree(file.toFile());
            String probe = j.get("probe").asText();
            assertTrue(probe.equals("ridge") || probe.equals("logreg"), probe);
            assertEquals("mean", j.get("options").get("pool").asText());
            int gridSize = probe.equals("ridge") ? 11 : 7;
            assertEquals(gridSize, j.get("options").get("l2_grid").size());
            assertEquals(gridSize, j.get("closed_form").get("grid").size());
            assertTrue(j.get("options").get("l2").asDouble() > 0);
            // the tiny caches' classes sit around separate centres: a linear probe gets them all
            assertEquals(100.0, j.get("top1_best").asDouble(), 1e-9);
            assertEquals(j.get("top1_best").asDouble(), j.get("top1_last").asDouble());
            assertEquals(100.0, j.get("top5_last").asDouble(), 1e-9);
            assertEquals(8 * 4 + 4, j.get("params").asLong());
            assertEquals(200, j.get("train_rows").asInt());
            assertEquals(20, j.get("val_rows").asInt());
            assertEquals(60, j.get("test_rows").asInt());
            assertTrue(j.get("train_seconds").asDouble() >= 0);
            assertEquals(caches.train(), j.get("cache_key").asText());
        }
        Path out = tmp.resolve("report");
        CliRun.of("eval", "--runs", runs.toString(), "--out", out.toString()).assertOk();
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("ridge mean") && md.contains("logreg mean"), md);
        assertTrue(md.contains("closed-form linear probes"), md);
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.contains("ridge") && csv.contains("logreg"), csv);
    }

    @Test
    void badClosedFormOptionsAreExitCodeTwo() {
        CliRun.of("train", "--probe", "linear", "--pool", "cls", "--train-cache", "a", "--test-cache", "b").assertRefused("--pool");
        CliRun.of("train", "--probe", "ridge", "--pool", "max", "--train-cache", "a", "--test-cache", "b").assertRefused("--pool");
        CliRun.of("train", "--probe", "ridge", "--l2", "0", "--train-cache", "a", "--test-cache", "b").assertRefused("--l2");
        CliRun.of("train", "--probe", "logreg", "--val-fraction", "1", "--train-cache", "a", "--test-cache", "b").assertRefused("--val-fraction");
    }
}
