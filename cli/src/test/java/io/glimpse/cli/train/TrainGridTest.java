package io.glimpse.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cli.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code glimpse train} with a grid: 120 heads (probes x EP query counts x base lrs x weight decays) on a tiny
 * synthetic entry, each with its own run folder, name and hyper-parameters; the same grid under a small
 * {@code --memory-budget} runs in several passes with the same numbers; bad grid values are refused in one line.
 */
class TrainGridTest {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> BLRS = List.of("0.01", "0.03", "0.1", "0.3", "1.0", "3.0");
    private static final List<String> WDS = List.of("0.0", "1.0E-4", "0.001", "0.01", "0.1");
    private static final int HEADS = 4 * BLRS.size() * WDS.size();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    static String trainKey;
    static String testKey;

    @BeforeAll
    static void caches() {
        trainKey = synth("train", "256");
        testKey = synth("test", "128");
    }

    private static String synth(String split, String rows) {
        CliRun run = CliRun.of("cache", "synth", "--quiet", "--cache-dir", root.resolve("cache").toString(), "--split", split,
                "--rows", rows, "--tokens", "17", "--dim", "16", "--classes", "5", "--seed", "4").assertOk();
        Matcher m = KEY.matcher(run.out());
        assertTrue(m.find(), run.all());
        return m.group();
    }

    private static CliRun train(String runs, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--cache", root.resolve("cache").toString(),
                "--runs", root.resolve(runs).toString(), "--quiet", "--train-cache", trainKey, "--test-cache", testKey,
                "--epochs", "1", "--warmup", "0", "--batch", "64", "--optimizer", "adamw"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String[] grid() {
        return new String[]{"--probe", "linear,linear-gap,efficient", "--queries", "1,2",
                "--blr", String.join(",", BLRS), "--weight-decay", String.join(",", WDS)};
    }

    @Test
    void aGridOf120HeadsTrainsInOnePassAndSplitsUnderASmallBudgetWithTheSameNumbers() throws IOException {
        CliRun one = train("one", grid());
        assertEquals(0, one.code(), one.all());
        Map<String, JsonNode> whole = results("one");
        assertEquals(HEADS, whole.size(), "one result per head, names unique");
        Set<String> combos = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : whole.entrySet()) {
            JsonNode r = e.getValue();
            assertEquals(HEADS, r.get("heads_in_pass").asInt(), e.getKey());
            double blr = r.get("recipe").get("blr").asDouble();
            double wd = r.get("recipe").get("weight_decay").asDouble();
            assertTrue(e.getKey().contains("-blr" + blr + "-"), e.getKey());
            assertEquals(wd != 0, e.getKey().contains("-wd" + wd + "-"), e.getKey());
            assertEquals(blr * 64 / 256, r.get("recipe").get("lr").asDouble(), 1e-12);
            combos.add(r.get("probe").asText() + r.get("options") + blr + "/" + wd);
        }
        assertEquals(HEADS, combos.size(), "every combination once");

        CliRun split = train("split", concat(grid(), "--memory-budget", "1M"));
        assertEquals(0, split.code(), split.all());
        Matcher passes = Pattern.compile("train: " + HEADS + " heads in (\\d+) passes: together they need about .* more than "
                + "the memory budget of 1 MiB \\(--memory-budget 1M\\)").matcher(split.out());
        assertTrue(passes.find(), split.out());
        assertTrue(Integer.parseInt(passes.group(1)) > 1, split.out());
        Map<String, JsonNode> parts = results("split");
        assertEquals(whole.keySet(), parts.keySet());
        for (String name : whole.keySet()) {
            for (String field : List.of("top1_best", "best_epoch", "top1_last", "top5_last", "params", "recipe", "options")) {
                assertEquals(whole.get(name).get(field), parts.get(name).get(field), name + " " + field);
            }
            assertTrue(parts.get(name).get("heads_in_pass").asInt() < HEADS, name);
        }
    }

    @Test
    void badGridValuesAreRefusedInOneLineNamingTheOption() {
        train("bad", "--weight-decay", "-0.1").assertRefused("--weight-decay must be >= 0");
        train("bad", "--weight-decay", "0.1,,0.2").assertRefused("--weight-decay");
        train("bad", "--weight-decay", "0.1,0.1").assertRefused("--weight-decay: 0.1 is listed twice");
        train("bad", "--blr", "").assertRefused("--blr");
        train("bad", "--blr", "0.1,abc").assertRefused("--blr");
        train("bad", "--memory-budget", "lots").assertRefused("--memory-budget");
        train("bad", "--probe", "efficient", "--queries", "2", "--memory-budget", "64K").assertRefused("--memory-budget", "--batch 64");
        assertTrue(!Files.exists(root.resolve("bad").resolve(".passes")), "refused runs write nothing");
    }

    /** result.json of every run under {@code runs}, by run name without its start time. */
    private static Map<String, JsonNode> results(String runs) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(root.resolve(runs))) {
            for (Path dir : s.filter(d -> Files.exists(d.resolve("result.json"))).toList()) {
                String name = dir.getFileName().toString().substring("yyyyMMdd-HHmmss-".length());
                JsonNode previous = out.put(name, JSON.readTree(dir.resolve("result.json").toFile()));
                assertEquals(null, previous, "two runs named " + name);
            }
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
