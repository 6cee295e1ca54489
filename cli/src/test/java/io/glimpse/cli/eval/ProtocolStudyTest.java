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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol-study section: backbone passes and seconds per protocol, from the runs and their cache manifests. */
class ProtocolStudyTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter out, String... args) {
        CommandLine cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void countsBackbonePassesPerProtocol() throws Exception {
        String cache = tmp.resolve("cache").toString();
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        String train = TinyCaches.write(store, "train", 256, 4);
        String test = TinyCaches.write(store, "test", 64, 4);
        Path study = tmp.resolve("study");
        Path plain = Files.createDirectories(study.resolve("a-cache"));
        Files.writeString(plain.resolve("protocol.json"), "{\"protocol\": \"cache\", \"views\": 1}");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "train", "--probe", "linear", "--epochs", "2", "--batch", "64", "--train-cache", train,
                "--test-cache", test, "--cache", cache, "--runs", plain.toString(), "--quiet"), out.toString());
        // an online run as the trainer records it: no train cache, the backbone ran epochs x train_rows times
        Path online = Files.createDirectories(study.resolve("c-online/run1"));
        Files.writeString(online.getParent().resolve("protocol.json"), "{\"protocol\": \"online\", \"views\": 1}");
        Files.writeString(online.resolve("result.json"), """
                {"probe": "linear", "online": true, "epochs": 3, "train_rows": 256, "top1_best": 90.0, "top1_last": 89.5,
                 "train_seconds": 40.0, "test_cache_key": "%s"}""".formatted(test));

        Path report = tmp.resolve("report");
        assertEquals(0, run(out, "eval", "--runs", plain.toString(), online.getParent().toString(), "--out", report.toString(),
                "--protocol-study", study.toString(), "--cache", cache, "--quiet"), out.toString());
        JsonNode rows = new ObjectMapper().readTree(report.resolve("protocol-study.json").toFile()).get("runs");
        assertEquals(2, rows.size());
        JsonNode a = rows.get(0), c = rows.get(1);
        assertEquals("cache", a.get("protocol").asText());
        assertEquals(256 + 64, a.get("backbone_passes").asLong());
        assertEquals(2.5 + 2.5, a.get("extract_seconds").asDouble(), 1e-9); // both manifests record 2.5 s
        assertEquals("online", c.get("protocol").asText());
        assertEquals(3 * 256 + 64, c.get("backbone_passes").asLong());
        assertEquals(2.5 + 40.0, c.get("total_seconds").asDouble(), 1e-9);
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("## Protocol study") && md.contains("(protocol_study.png)"), md);
        assertTrue(Files.isRegularFile(report.resolve("protocol_study.svg")));
    }
}
