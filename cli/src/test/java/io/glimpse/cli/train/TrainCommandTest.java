package io.glimpse.cli.train;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code glimpse train} end to end on tiny cache entries: a run, and bad options refused with exit code 2. */
class TrainCommandTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);

    @TempDir
    static Path root;
    static String trainKey;
    static String testKey;
    static String badTestKey;

    @BeforeAll
    static void caches() {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        trainKey = write(store, "train", 300, 3, false);
        testKey = write(store, "test", 90, 3, false);
        badTestKey = write(store, "test-bad", 90, 3, true);
    }

    /** Rows of class r % classes: class centre + noise on every token; {@code badLabel} puts label 7 on row 0. */
    private static String write(CacheStore store, String split, int rows, int classes, boolean badLabel) {
        CacheDescription d = new CacheDescription("tiny-vit", "ef".repeat(32), List.of("hidden_state_4", "last_hidden_state"),
                new TreeMap<>(Map.of("size", "4")), "tiny", "fp-" + split, split, TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        Random rnd = new Random(split.hashCode());
        int rv = LAYOUT.rowValues();
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.defaults())) {
            String[] ids = new String[rows];
            int[] labels = new int[rows];
            Map<String, FloatBuffer> tokens = new TreeMap<>();
            for (String layer : d.layers()) {
                FloatBuffer b = ByteBuffer.allocateDirect(rows * rv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < rv; i++) b.put(r * rv + i, (float) ((i % LAYOUT.dim()) == r % classes ? 2 : 0) + (float) rnd.nextGaussian() * 0.5f);
                }
                tokens.put(layer, b);
            }
            for (int r = 0; r < rows; r++) {
                ids[r] = split + "/" + r;
                labels[r] = badLabel && r == 0 ? 7 : r % classes;
            }
            w.append(ids, labels, tokens, rows);
            w.finish(Map.of("extract_seconds", 3.25), List.of());
        }
        return d.key().hex();
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--cache", root.resolve("cache").toString(),
                "--runs", root.resolve("runs").toString(), "--quiet"));
        all.addAll(List.of(args));
        CommandLine cl = Glimpse.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void trainsSeveralHeadsInOnePassAndWritesOneRunEach() throws Exception {
        Outcome o = run("--train-cache", trainKey, "--test-cache", testKey, "--probe", "linear,efficient", "--queries", "2,4",
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
        Path r = Path.of(System.getProperty("glimpse.root", ".."));
        Outcome o = run("--online", "--augment", "--backbone", r.resolve("conf/backbones/fmnist-mae-vit.yaml").toString(),
                "--dataset", r.resolve("conf/datasets/fashion-mnist.yaml").toString(), "--limit", "256", "--test-limit", "128",
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
        Outcome o = run(args);
        assertEquals(2, o.code(), o.err() + o.out());
        String line = o.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains(option), "expected '" + option + "' in: " + line);
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
