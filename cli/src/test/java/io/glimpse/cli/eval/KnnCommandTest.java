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

class KnnCommandTest {
    @TempDir
    Path tmp;

    @Test
    void evaluatesCachedSplitsAndWritesAReportRow() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 240, 60, 4);
        String train = caches.train();
        CliRun r = CliRun.of("knn", "--cache", caches.root(), "--train-cache", train.substring(0, 12),
                "--test-cache", caches.test(), "--runs", tmp.resolve("runs").toString(), "--k", "5,10,20", "--quiet").assertOk();
        assertTrue(r.out().contains("<- best"), r.out());
        List<Path> results;
        try (Stream<Path> s = Files.walk(tmp.resolve("runs"))) {
            results = s.filter(p -> p.getFileName().toString().equals("result.json")).toList();
        }
        assertEquals(1, results.size());
        JsonNode json = new ObjectMapper().readTree(results.get(0).toFile());
        assertEquals("knn", json.get("probe").asText());
        assertEquals("cls", json.get("feature").asText());
        assertEquals(100.0, json.get("top1_best").asDouble(), 1e-9);
        assertEquals(9, json.get("knn").get("grid").size());
        assertEquals(train, json.get("cache_key").asText());
        assertEquals(2.5, json.get("extract_seconds").asDouble());
    }

    @Test
    void badOptionsAreExitCodeTwo() {
        CliRun.of("knn", "--train-cache", "abc").assertRefused("--test-cache");
        CliRun.of("knn", "--temperature", "0", "--train-cache", "a", "--test-cache", "b").assertRefused("--temperature");
        CliRun.of("knn", "--cache", tmp.toString(), "--train-cache", "abc", "--test-cache", "def").assertRefused("abc");
    }
}
