package io.glimpse.cli.cache;

import io.glimpse.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code glimpse cache synth}: bad options refused before anything is written; entries listed as synthetic; train reads them. */
class CacheSynthCommandTest {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> SMALL = List.of("--rows", "300", "--tokens", "17", "--dim", "32", "--classes", "5", "--seed", "3");

    @TempDir
    Path root;

    private CliRun cache(String... args) {
        List<String> all = new ArrayList<>(List.of("cache"));
        all.addAll(List.of(args));
        all.addAll(List.of("--cache-dir", root.resolve("cache").toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** {@code cache synth} at the small shape, {@code options} (name, value pairs) replacing or adding to it. */
    private CliRun synth(String... options) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < SMALL.size(); i += 2) opts.put(SMALL.get(i), SMALL.get(i + 1));
        for (int i = 0; i < options.length; i += 2) opts.put(options[i], options[i + 1]);
        List<String> all = new ArrayList<>(List.of("synth", "--quiet"));
        opts.forEach((k, v) -> all.addAll(List.of(k, v)));
        return cache(all.toArray(String[]::new));
    }

    private static String key(CliRun run) {
        Matcher m = KEY.matcher(run.out());
        assertTrue(m.find(), run.all());
        return m.group();
    }

    @Test
    void badOptionsAreRefusedInOneLineAndNothingIsWritten() {
        synth("--rows", "0").assertRefused("--rows");
        synth("--rows", "-3").assertRefused("--rows");
        synth("--tokens", "1").assertRefused("--tokens");
        synth("--dim", "0").assertRefused("--dim");
        synth("--tokens", "100000", "--dim", "100000").assertRefused("--tokens 100000 x --dim 100000", "1 GiB");
        synth("--classes", "1").assertRefused("--classes");
        synth("--dtype", "int4").assertRefused("--dtype", "int4");
        synth("--grid", "5x5").assertRefused("--grid 5x5", "16 patch tokens");
        synth("--grid", "4by4").assertRefused("--grid");
        synth("--prefix-tokens", "17").assertRefused("--prefix-tokens");
        synth("--prefix-tokens", "0").assertRefused("--prefix-tokens");
        synth("--prefix-tokens", "2", "--grid", "4x4").assertRefused("--grid 4x4", "15 patch tokens");
        synth("--split", "val").assertRefused("--split");
        synth("--threads", "0").assertRefused("--threads");
        synth("--rows", "many").assertRefused("--rows");
        cache("synth", "--rows", "2000000000", "--quiet").assertRefused("not enough disk space");
        assertFalse(Files.exists(root.resolve("cache")), "a refused command writes nothing");
    }

    @Test
    void writesListsVerifiesAndReusesAnEntryMarkedSynthetic() {
        CliRun first = synth("--grid", "4x4");
        first.assertOk();
        String key = key(first);
        assertTrue(first.out().contains("written") && first.out().contains("300 rows of 17x32 float16"), first.out());
        CliRun again = synth();
        again.assertOk();
        assertEquals(key, key(again), "the default grid of 16 patches is 4x4, the same entry");
        assertTrue(again.out().contains("reused"), again.out());

        CliRun ls = cache("ls").assertOk();
        String line = ls.out().lines().filter(l -> l.startsWith(key.substring(0, 12))).findFirst().orElseThrow();
        for (String part : List.of("synthetic", "5 classes, seed 3", "train", "300", "17x32", "float16", "complete")) {
            assertTrue(line.contains(part), part + " missing in: " + line);
        }
        CliRun info = cache("info", key.substring(0, 8)).assertOk();
        assertTrue(info.out().contains("synthetic      {") && info.out().contains("generator=glimpse-synth/1"), info.out());
        assertTrue(info.out().contains("grid 4x4"), info.out());
        CliRun json = cache("info", "--json", key).assertOk();
        assertTrue(json.out().contains("\"synthetic\" : {"), json.out());
        CliRun verify = cache("verify", key).assertOk();
        assertTrue(verify.out().startsWith("ok"), verify.out());

        String registers = key(synth("--tokens", "18", "--prefix-tokens", "2").assertOk());
        assertNotEquals(key, registers);
        CliRun info2 = cache("info", registers).assertOk();
        assertTrue(info2.out().contains("2 prefix + 16 patches, grid 4x4"), info2.out());
    }

    @Test
    void trainReadsSyntheticEntriesAndLearnsTheirClasses() throws Exception {
        String train = key(synth("--split", "train").assertOk());
        String test = key(synth("--split", "test", "--rows", "200").assertOk());
        CliRun run = CliRun.of("train", "--cache", root.resolve("cache").toString(), "--runs", root.resolve("runs").toString(), "--quiet",
                "--train-cache", train, "--test-cache", test, "--probe", "linear,efficient", "--queries", "4", "--epochs", "20", "--warmup", "2",
                "--batch", "32", "--blr", "5", "--optimizer", "sgd");
        run.assertOk();
        // chance is 20%: the linear probe reads the CLS token, the attentive one the patches
        for (String probe : List.of("linear", "efficient")) {
            Matcher m = Pattern.compile("train: " + probe + " .* top1 best ([0-9.]+)").matcher(run.out());
            assertTrue(m.find(), run.out());
            double top1 = Double.parseDouble(m.group(1));
            assertTrue(top1 > (probe.equals("linear") ? 60 : 40) && top1 < 100, probe + " on 5 synthetic classes: " + top1);
        }
        try (Stream<Path> runs = Files.list(root.resolve("runs"))) {
            String result = Files.readString(runs.map(d -> d.resolve("result.json")).filter(Files::isRegularFile).sorted().findFirst().orElseThrow());
            assertTrue(result.contains("\"backbone\" : \"synthetic\"") && result.contains(train), result);
        }
    }

    @Test
    void int8EntriesTrainAndServeKnn() {
        CliRun made = synth("--split", "train", "--dtype", "int8").assertOk();
        assertTrue(made.out().contains("300 rows of 17x32 int8"), made.out());
        String train = key(made);
        String test = key(synth("--split", "test", "--rows", "200", "--dtype", "int8").assertOk());
        assertNotEquals(key(synth("--split", "train").assertOk()), train, "the dtype is part of the key");
        CliRun info = cache("info", train).assertOk();
        assertTrue(info.out().contains("D=32, int8 (symmetric, one float32 scale per token: value = q x scale), 612 bytes per row and layer"), info.out());
        assertTrue(cache("verify", train).assertOk().out().startsWith("ok"));

        CliRun run = CliRun.of("train", "--cache", root.resolve("cache").toString(), "--runs", root.resolve("runs").toString(), "--quiet",
                "--train-cache", train, "--test-cache", test, "--probe", "linear,efficient", "--queries", "4", "--epochs", "10", "--warmup", "2",
                "--batch", "32", "--blr", "5", "--optimizer", "sgd");
        run.assertOk();
        for (String probe : List.of("linear", "efficient")) {
            Matcher m = Pattern.compile("train: " + probe + " .* top1 best ([0-9.]+)").matcher(run.out());
            assertTrue(m.find(), run.out());
            double top1 = Double.parseDouble(m.group(1));
            assertTrue(top1 > 40 && top1 <= 100, probe + " on 5 synthetic int8 classes: " + top1 + " (chance 20)");
        }
        CliRun knn = CliRun.of("knn", "--cache", root.resolve("cache").toString(), "--train-cache", train, "--test-cache", test,
                "--runs", root.resolve("knn").toString(), "--k", "5,10", "--quiet").assertOk();
        Matcher best = Pattern.compile("\\s([0-9.]+)\\s+[0-9.]+  <- best").matcher(knn.out());
        assertTrue(best.find(), knn.out());
        assertTrue(Double.parseDouble(best.group(1)) > 40, "k-NN on int8 vectors: " + knn.out());
    }
}
