package io.glimpse.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.TinyCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionAndFewShotTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<JsonNode> results(Path runs) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runs)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("result.json")).sorted().toList()) {
                out.add(JSON.readTree(p.toFile()));
            }
        }
        return out;
    }

    @Test
    void selectValChoosesTheBestValidationRunOfTheInvocationAndTheReportShowsIt() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 200, 60, 4);
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of("train", "--probe", "linear,ridge", "--blr", "0.01,1", "--epochs", "3", "--batch", "16",
                "--warmup", "1", "--val-fraction", "0.25", "--select", "val", "--cache", caches.root(), "--train-cache",
                caches.train(), "--test-cache", caches.test(), "--runs", runs.toString(), "--quiet").assertOk();
        assertTrue(r.out().contains("select: group"), r.out());
        List<JsonNode> all = results(runs);
        assertEquals(3, all.size(), "two linear heads and one ridge");
        Set<String> groups = new HashSet<>();
        JsonNode expected = null;
        int chosen = 0;
        for (JsonNode j : all) {
            JsonNode s = j.get("selection");
            groups.add(s.get("group").asText());
            assertEquals("val_top1", s.get("criterion").asText());
            assertEquals(3, s.get("heads").asInt());
            if (s.get("chosen").asBoolean()) chosen++;
            if (expected == null || j.get("val_top1_best").asDouble() > expected.get("val_top1_best").asDouble()) expected = j;
            // every head records top-5 and mean-per-class at its best, last and validation-selected epochs
            for (String f : List.of("top5_best", "mean_per_class_best", "mean_per_class_last", "mean_per_class_at_val_best")) {
                assertTrue(j.get(f).isNumber(), f + " of " + j.get("run_id"));
            }
        }
        assertEquals(1, groups.size(), groups.toString());
        assertEquals(1, chosen);
        String winner = all.get(0).get("selection").get("winner").asText();
        for (JsonNode j : all) {
            assertEquals(winner, j.get("selection").get("winner").asText());
            assertEquals(j.get("run_id").asText().equals(winner), j.get("selection").get("chosen").asBoolean());
            // the winner has the best validation top-1 (ties go to the earlier run of the invocation)
            if (j.get("run_id").asText().equals(winner)) {
                assertEquals(expected.get("val_top1_best").asDouble(), j.get("val_top1_best").asDouble());
            }
        }

        Path out = tmp.resolve("report");
        CliRun.of("eval", "--runs", runs.toString(), "--out", out.toString()).assertOk();
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Selection group " + groups.iterator().next()), md);
        assertTrue(md.contains("Selected on validation") && md.contains("the study's protocol"), md);
        assertTrue(md.contains("**chosen**"), md);
        assertTrue(md.contains("mean/class best %") && md.contains("test top-1 @val-best %"), md);
    }

    @Test
    void fewShotTriesDrawDifferentRowsAndTheReportAveragesThem() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 200, 60, 4);
        Path runs = tmp.resolve("runs");
        CliRun.of("train", "--probe", "linear,ridge", "--shots", "5,10", "--tries", "3", "--epochs", "1", "--batch", "8",
                "--val-fraction", "0.2", "--select", "val", "--cache", caches.root(), "--train-cache", caches.train(),
                "--test-cache", caches.test(), "--runs", runs.toString(), "--quiet").assertOk();
        List<JsonNode> all = results(runs);
        assertEquals(2 * 3 * 2, all.size());
        Map<String, Integer> perGroup = new HashMap<>();
        Set<String> seedsAndShots = new HashSet<>();
        for (JsonNode j : all) {
            int k = j.get("few_shot").get("shots").asInt();
            int t = j.get("few_shot").get("draw").asInt();
            assertEquals(3, j.get("few_shot").get("draws").asInt());
            assertEquals(t - 1, j.get("seed").asInt(), "try t draws with seed --seed + t - 1");
            // k per class, a fifth of every class held out; ridge's train_rows count the hold-out too
            int fit = k * 4 - Math.round(0.2f * k) * 4;
            assertEquals(j.get("probe").asText().equals("ridge") ? k * 4 : fit, j.get("train_rows").asInt(), j.toString());
            perGroup.merge(j.get("selection").get("group").asText(), 1, Integer::sum);
            assertTrue(j.get("selection").get("group").asText().endsWith("-k" + k + "-t" + t));
            seedsAndShots.add(j.get("probe").asText() + k + "/" + t);
        }
        assertEquals(6, perGroup.size(), "one selection group per K and try: " + perGroup);
        perGroup.values().forEach(n -> assertEquals(2, n));
        assertEquals(12, seedsAndShots.size());

        Path out = tmp.resolve("report");
        CliRun.of("eval", "--runs", runs.toString(), "--out", out.toString()).assertOk();
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Few-shot"), md);
        assertTrue(md.contains("selected on validation"), md);
        // three tries of each configuration and K: no run left out as a re-run, and a spread in the cells
        assertFalse(md.contains("older re-run"), md);
        assertTrue(md.contains(" ± "), md);
    }

    @Test
    void badSelectionAndShotOptionsAreOneLineRefusals() {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 40, 8, 4);
        String[] common = {"--cache", caches.root(), "--train-cache", caches.train(), "--test-cache", caches.test(),
                "--runs", tmp.resolve("runs").toString(), "--quiet", "--epochs", "1", "--batch", "4"};
        CliRun.of(concat(common, "train", "--probe", "linear", "--select", "val")).assertRefused("--select val", "--val-fraction");
        CliRun.of(concat(common, "train", "--probe", "linear", "--select", "test", "--val-fraction", "0.2")).assertRefused("--select", "val");
        CliRun.of(concat(common, "train", "--probe", "linear", "--shots", "5", "--tries", "0")).assertRefused("--tries");
        CliRun.of(concat(common, "train", "--probe", "linear", "--shots", "0,5")).assertRefused("--shots");
        CliRun.of(concat(common, "train", "--probe", "linear", "--shots", "-1")).assertRefused("--shots");
        // 10 rows a class: 11 shots cannot be drawn
        CliRun.of(concat(common, "train", "--probe", "linear", "--shots", "5,11")).assertRefused("fewer than the 11 shots");
        assertFalse(Files.exists(tmp.resolve("runs")) && tmp.resolve("runs").toFile().list().length > 0,
                "a refused K trains nothing, not even the smaller K before it");
    }

    private static String[] concat(String[] common, String... args) {
        String[] out = new String[args.length + common.length];
        System.arraycopy(args, 0, out, 0, args.length);
        System.arraycopy(common, 0, out, args.length, common.length);
        return out;
    }
}
