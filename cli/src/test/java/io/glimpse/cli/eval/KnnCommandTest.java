package io.glimpse.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.CacheStore;
import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnCommandTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void evaluatesCachedSplitsAndWritesAReportRow() throws Exception {
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        String train = TinyCaches.write(store, "train", 240, 4);
        String test = TinyCaches.write(store, "test", 60, 4);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "knn", "--cache", tmp.resolve("cache").toString(), "--train-cache", train.substring(0, 12),
                "--test-cache", test, "--runs", tmp.resolve("runs").toString(), "--k", "5,10,20", "--quiet");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("<- best"), out.toString());
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
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(2, run(out, err, "knn", "--train-cache", "abc"));
        assertTrue(err.toString().contains("--test-cache"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(out, err, "knn", "--temperature", "0", "--train-cache", "a", "--test-cache", "b"));
        assertTrue(err.toString().contains("--temperature"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(out, err, "knn", "--cache", tmp.toString(), "--train-cache", "abc", "--test-cache", "def"));
        assertTrue(err.toString().contains("abc"), err.toString());
    }
}
