package io.glimpse.cli.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.CacheStore;
import io.glimpse.cli.Glimpse;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.cli.testing.TinyCaches;
import io.glimpse.train.run.PassDirectory;
import io.glimpse.train.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILLs a {@code glimpse train} child JVM twice in the middle of an epoch (just after the checkpoints of epochs 1
 * and 3), then runs the same command to the end, and checks that its runs equal an uninterrupted pass's: every
 * result.json member but those of {@link #NOT_COMPARED}, epochs.csv but its seconds column, and both head states
 * byte for byte. Then: the same command again does not retrain, other options are refused, --fresh retrains.
 * The pass trains two linear heads and an attentive one (efficient probing, M=4), so the resumed pass must also
 * reproduce the attention queries' gradients bit for bit, step by step.
 */
class TrainResumeAfterKillTest {
    private static final int EPOCHS = 6;
    /** Where and when the runs were written, and how long training took: the rest must be equal. */
    private static final Set<String> NOT_COMPARED = Set.of("run_id", "created", "train_seconds", "train_cpu_seconds",
            "eval_seconds", "samples_per_second");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killedPassesResumeToTheNumbersAndArraysOfAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        CacheStore store = CacheStore.open(tmp.resolve("cache"));
        List<String> layers = List.of(TinyCaches.LAYER);
        String train = TinyCaches.write(store, "train", 12000, 4, layers, -1, 1.0);
        String test = TinyCaches.write(store, "test", 400, 4, layers, -1, 1.0);
        Path reference = tmp.resolve("reference");
        Path killed = tmp.resolve("killed");
        CliRun.of(args(tmp, reference, train, test, EPOCHS)).assertOk();

        for (int epoch : new int[] {1, 3}) {
            Process child = child(args(tmp, killed, train, test, EPOCHS), tmp.resolve("child-" + epoch + ".log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && checkpointEpochs(killed) < epoch && System.nanoTime() < deadline) Thread.sleep(2);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(epoch, checkpointEpochs(killed), "killed during epoch " + (epoch + 1) + ", before its checkpoint; child log: "
                    + Files.readString(tmp.resolve("child-" + epoch + ".log")));
        }

        CliRun.of(args(tmp, killed, train, test, EPOCHS - 1)).assertRefused("--epochs 5 differs from the unfinished pass", "(--epochs 6)");
        CliRun.of(args(tmp, killed, train, test, EPOCHS)).assertOk();
        assertSameRuns(reference, killed);

        Map<Path, String> results = resultFiles(killed);
        CliRun again = CliRun.of(args(tmp, killed, train, test, EPOCHS)).assertOk();
        assertTrue(again.out().contains("top1 best"), again.out());
        assertEquals(results, resultFiles(killed), "a finished pass is not trained again: its result.json files are untouched");

        List<String> fresh = new ArrayList<>(List.of(args(tmp, killed, train, test, EPOCHS)));
        fresh.add("--fresh");
        CliRun.of(fresh.toArray(String[]::new)).assertOk();
        assertEquals(2 * results.size(), resultFiles(killed).size(), "--fresh trained the pass again beside the first");
    }

    private static String[] args(Path tmp, Path runs, String train, String test, int epochs) {
        return new String[] {"train", "--cache", tmp.resolve("cache").toString(), "--runs", runs.toString(), "--quiet",
                "--train-cache", train, "--test-cache", test, "--probe", "linear,linear-gap,efficient", "--queries", "4",
                "--epochs", Integer.toString(epochs), "--warmup", "1", "--batch", "32", "--blr", "5", "--seed", "7"};
    }

    /** A child JVM running {@code glimpse} with the tests' classpath, the project's JVM flags and torch thread count. */
    private static Process child(String[] args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "@" + RepoPaths.root().resolve("conf/jvm.options"),
                "-Dglimpse.root=" + RepoPaths.root(), "-Xmx1g"));
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (threads != null) cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Glimpse.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Epochs complete in the runs folder's one pass checkpoint (0 before the first). */
    private static int checkpointEpochs(Path runs) throws IOException {
        Path passes = runs.resolve(PassDirectory.PASSES);
        if (!Files.isDirectory(passes)) return 0;
        try (Stream<Path> s = Files.list(passes)) {
            for (Path pass : s.toList()) {
                Path file = pass.resolve(PassDirectory.CHECKPOINT);
                if (Files.isRegularFile(file)) return JSON.readTree(file.toFile()).path("epochs").asInt();
            }
        }
        return 0;
    }

    private static void assertSameRuns(Path expected, Path actual) throws IOException {
        Map<String, Path> a = runsByName(expected);
        Map<String, Path> b = runsByName(actual);
        assertEquals(a.keySet(), b.keySet());
        assertEquals(3, a.size());
        for (String name : a.keySet()) {
            Path x = a.get(name), y = b.get(name);
            assertEquals(comparable(x), comparable(y), "result.json of " + name);
            assertEquals(epochNumbers(x), epochNumbers(y), "epochs.csv of " + name);
            for (String state : List.of(RunDirectory.BEST_STATE, RunDirectory.LAST_STATE)) {
                assertArrayEquals(Files.readAllBytes(x.resolve(state)), Files.readAllBytes(y.resolve(state)), state + " of " + name);
            }
        }
    }

    /** Run folders by their id without the start time. */
    private static Map<String, Path> runsByName(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.isRegularFile(d.resolve(RunDirectory.RESULT)))
                    .collect(Collectors.toMap(d -> d.getFileName().toString().replaceFirst("^\\d{8}-\\d{6}-", ""), d -> d, (x, y) -> x, TreeMap::new));
        }
    }

    private static Map<String, Object> comparable(Path run) throws IOException {
        Map<String, Object> json = JSON.readValue(run.resolve(RunDirectory.RESULT).toFile(), new TypeReference<TreeMap<String, Object>>() {
        });
        json.keySet().removeAll(NOT_COMPARED);
        assertTrue(json.containsKey("top1_best") && json.containsKey("best_epoch") && json.containsKey("top1_last"), json.toString());
        return json;
    }

    private static String epochNumbers(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(RunDirectory.EPOCHS));
        assertEquals(EPOCHS + 1, lines.size(), "header + one line per epoch, none repeated: " + lines);
        return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.joining("\n"));
    }

    private static Map<Path, String> resultFiles(Path runs) {
        try (Stream<Path> s = Files.list(runs)) {
            Map<Path, String> out = new TreeMap<>();
            for (Path d : s.toList()) {
                Path f = d.resolve(RunDirectory.RESULT);
                if (Files.isRegularFile(f)) out.put(f, Files.readString(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
