package io.glimpse.cli.eval;

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

/** train → eval --complementarity on tiny caches: the trainer's result.json is read, metrics are added, the report shows them. */
class EvalPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void trainedRunsGetComplementarityAndAReport() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 256, 64, 4);
        String cache = caches.root();
        String runs = tmp.resolve("runs").toString();
        CliRun.of("train", "--probe", "efficient,linear", "--queries", "4", "--epochs", "2", "--batch", "64",
                "--train-cache", caches.train(), "--test-cache", caches.test(), "--cache", cache, "--runs", runs, "--quiet").assertOk();
        Path report = tmp.resolve("report");
        CliRun.of("eval", "--runs", runs, "--out", report.toString(), "--complementarity", "--cache", cache, "--quiet").assertOk();

        List<Path> results;
        try (Stream<Path> s = Files.walk(tmp.resolve("runs"))) {
            results = s.filter(p -> p.getFileName().toString().equals("result.json")).toList();
        }
        assertEquals(2, results.size());
        for (Path p : results) {
            JsonNode j = new ObjectMapper().readTree(p.toFile());
            boolean ep = j.get("probe").asText().equals("efficient");
            assertEquals(ep, j.has("complementarity"), p + " " + j);
            assertTrue(j.hasNonNull("glimpse_version") && j.get("git_commit").asText().matches("[0-9a-f]{40}|unknown"),
                    "eval's update keeps the trainer's build: " + j);
            if (ep) {
                JsonNode c = j.get("complementarity");
                assertEquals(64, c.get("images").asInt());
                assertEquals(4, c.get("queries").asInt());
                assertEquals(TinyCaches.LAYOUT.patches(), c.get("tokens").asInt());
                double sim = c.get("avg_similarity").asDouble();
                assertTrue(sim > 0 && sim <= 1, "cosine of non-negative maps is in (0, 1]: " + sim);
            }
        }
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("| efficient M=4 |") && md.contains("avg sim"), md);
    }
}
