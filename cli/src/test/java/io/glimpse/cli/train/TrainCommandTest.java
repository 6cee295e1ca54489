package io.glimpse.cli.train;

import io.glimpse.cache.CacheStore;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.cli.testing.TinyCaches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse train} end to end on tiny cache entries: a run, and bad options refused with exit code 2. */
class TrainCommandTest {
    @TempDir
    static Path root;
    static String trainKey;
    static String testKey;
    static String badTestKey;

    @BeforeAll
    static void caches() {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        List<String> layers = List.of("hidden_state_4", "last_hidden_state");
        trainKey = TinyCaches.write(store, "train", 300, 3, layers, -1, 3.25);
        testKey = TinyCaches.write(store, "test", 90, 3, layers, -1, 3.25);
        badTestKey = TinyCaches.write(store, "test-bad", 90, 3, layers, 7, 3.25); // row 0 has a 4th class: 7
    }

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--cache", root.resolve("cache").toString(),
                "--runs", root.resolve("runs").toString(), "--quiet"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void trainsSeveralHeadsInOnePassAndWritesOneRunEach() throws Exception {
        CliRun o = run("--train-cache", trainKey, "--test-cache", testKey, "--probe", "linear,efficient", "--queries", "2,4",
                "--layer", "hidden_state_4,last_hidden_state", "--epochs", "2", "--batch", "32", "--blr", "5");
        assertEquals(0, o.code(), o.err());
        // linear x 2 layers + efficient x 2 queries x 2 layers
        List<String> results = resultsWith("\"backbone\" : \"tiny-vit\"");
        assertEquals(6, results.size());
        String json = results.get(0);
        assertTrue(json.contains("\"backbone\" : \"tiny-vit\"") && json.contains("\"extract_seconds\" : 3.25"), json);
        assertTrue(o.out().contains("top1 best"), o.out());
    }

    @Test
    void onlineProtocolRunsTheBackboneInTheLoop() throws Exception {
        CliRun o = run("--online", "--augment", "--backbone", RepoPaths.fixtureBackbone(),
                "--dataset", RepoPaths.fashionMnist(), "--limit", "256", "--test-limit", "128",
                "--probe", "linear", "--epochs", "1", "--batch", "128");
        assertEquals(0, o.code(), o.err());
        List<String> online = resultsWith("\"cache_key\" : \"online-augmented\"");
        assertEquals(1, online.size());
        String json = online.get(0);
        assertTrue(json.contains("\"cache_key\" : \"online-augmented\"") && json.contains("\"train_rows\" : 256")
                && json.contains("\"test_rows\" : 128"), json);
    }

    private static List<String> resultsWith(String text) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(root.resolve("runs"))) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().equals("result.json")).toList()) {
                String json = Files.readString(p);
                if (json.contains(text)) out.add(json);
            }
            return out;
        }
    }

    private static void refused(String option, String... args) {
        run(args).assertRefused(option);
    }

    @Test
    void badOptionsAreRefusedWithExitCode2AndOneLine() {
        String[] caches = {"--train-cache", trainKey, "--test-cache", testKey};
        refused("--probe 'nope'", "--probe", "linear,nope");
        refused("--blr", "--blr", "0");
        refused("--blr", "--blr", "-0.1");
        refused("--optimizer", "--optimizer", "adam");
        refused("--queries", concat(caches, "--probe", "efficient", "--queries", "3"));
        refused("--layer hidden_state_9", concat(caches, "--probe", "linear", "--layer", "hidden_state_9"));
        refused("class count", "--train-cache", trainKey, "--test-cache", badTestKey, "--probe", "linear");
        refused("--test-cache", "--train-cache", trainKey, "--probe", "linear");
        refused("--augment", "--augment", "--probe", "linear");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
