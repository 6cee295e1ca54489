package io.glimpse.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.TinyCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol-study section: backbone passes and seconds per protocol, from the runs and their cache manifests. */
class ProtocolStudyTest {
    @TempDir
    Path tmp;

    @Test
    void countsBackbonePassesPerProtocol() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 256, 64, 4);
        String cache = caches.root(), test = caches.test();
        Path study = tmp.resolve("study");
        Path plain = Files.createDirectories(study.resolve("a-cache"));
        Files.writeString(plain.resolve("protocol.json"), "{\"protocol\": \"cache\", \"views\": 1}");
        CliRun.of("train", "--probe", "linear", "--epochs", "2", "--batch", "64", "--train-cache", caches.train(),
                "--test-cache", test, "--cache", cache, "--runs", plain.toString(), "--quiet").assertOk();
        // online runs as the trainer records them: no caches, the backbone ran every epoch on train (and on an
        // online test split too, unless the test split came from a cache)
        Path online = Files.createDirectories(study.resolve("c-online/run1"));
        Files.writeString(online.getParent().resolve("protocol.json"), "{\"protocol\": \"online\", \"views\": 1}");
        Files.writeString(online.resolve("result.json"), """
                {"probe": "linear", "cache_key": "online-augmented", "epochs": 3, "train_rows": 256, "test_rows": 64,
                 "top1_best": 90.0, "top1_last": 89.5, "train_seconds": 40.0, "test_cache_key": "%s"}""".formatted(test));
        Path onlineTest = Files.createDirectories(study.resolve("c-online/run2"));
        Files.writeString(onlineTest.resolve("result.json"), """
                {"probe": "efficient", "cache_key": "online-augmented", "epochs": 3, "train_rows": 256, "test_rows": 64,
                 "top1_best": 91.0, "train_seconds": 50.0, "eval_seconds": 7.5, "test_cache_key": "online"}""");

        Path report = tmp.resolve("report");
        CliRun.of("eval", "--runs", plain.toString(), online.getParent().toString(), "--out", report.toString(),
                "--protocol-study", study.toString(), "--cache", cache, "--quiet").assertOk();
        JsonNode rows = new ObjectMapper().readTree(report.resolve("protocol-study.json").toFile()).get("runs");
        assertEquals(3, rows.size());
        JsonNode a = rows.get(0), c = rows.get(1), d = rows.get(2);
        assertEquals("cache", a.get("protocol").asText());
        assertEquals(256 + 64, a.get("backbone_passes").asLong());
        assertEquals(2.5 + 2.5, a.get("extract_seconds").asDouble(), 1e-9); // both manifests record 2.5 s
        assertEquals("online", c.get("protocol").asText());
        assertEquals(3 * 256 + 64, c.get("backbone_passes").asLong());
        assertEquals(2.5 + 40.0, c.get("total_seconds").asDouble(), 1e-9);
        assertEquals("efficient", d.get("probe").asText());
        assertEquals(3 * 256 + 3 * 64, d.get("backbone_passes").asLong());
        assertEquals(50.0 + 7.5, d.get("total_seconds").asDouble(), 1e-9);
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("## Protocol study") && md.contains("(protocol_study.png)"), md);
        assertTrue(md.contains("| linear online augmented |"), md);
        assertTrue(Files.isRegularFile(report.resolve("protocol_study.svg")));
    }
}
