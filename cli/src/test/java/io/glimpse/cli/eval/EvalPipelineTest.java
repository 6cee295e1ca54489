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

/** train → eval --complementarity on tiny caches: the trainer's result.json is read, metrics are added, the report shows them. */
class EvalPipelineTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter out, String... args) {
        CommandLine cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void trainedRunsGetComplementarityAndAReport() throws Exception {
        String cache = tmp.resolve("cache").toString();
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        String train = TinyCaches.write(store, "train", 256, 4);
        String test = TinyCaches.write(store, "test", 64, 4);
        String runs = tmp.resolve("runs").toString();
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "train", "--probe", "efficient,linear", "--queries", "4", "--epochs", "2", "--batch", "64",
                "--train-cache", train, "--test-cache", test, "--cache", cache, "--runs", runs, "--quiet"), out.toString());
        Path report = tmp.resolve("report");
        assertEquals(0, run(out, "eval", "--runs", runs, "--out", report.toString(), "--complementarity",
                "--cache", cache, "--quiet"), out.toString());

        List<Path> results;
        try (Stream<Path> s = Files.walk(tmp.resolve("runs"))) {
            results = s.filter(p -> p.getFileName().toString().equals("result.json")).toList();
        }
        assertEquals(2, results.size());
        for (Path p : results) {
            JsonNode j = new ObjectMapper().readTree(p.toFile());
            boolean ep = j.get("probe").asText().equals("efficient");
            assertEquals(ep, j.has("complementarity"), p + " " + j);
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
