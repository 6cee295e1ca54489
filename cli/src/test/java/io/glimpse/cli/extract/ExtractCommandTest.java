package io.glimpse.cli.extract;

import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.cli.testing.TinyIdxDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractCommandTest {
    /** A 2-split IDX dataset of the fixture's 16 golden test images (28x28 bytes each), labels i % 10. */
    private static String dataset(Path dir) throws IOException {
        byte[] u8 = Files.readAllBytes(RepoPaths.testdata("fmnist-mae-vit.golden16.input_u8.bin"));
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        return TinyIdxDataset.write(dir, 28, 28, u8, labels, List.of()).toString();
    }

    @Test
    void extractsBothSplitsThenReusesThem(@TempDir Path tmp) throws IOException {
        String ds = dataset(tmp);
        String[] args = {"extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", ds, "--cache", tmp.resolve("cache").toString(), "--limit", "12",
                "--batch", "5", "--no-progress", "--device", "cpu"};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.code(), first.err());
        String[] lines = first.out().strip().split("\n");
        assertEquals(2, lines.length, first.out());
        assertTrue(lines[0].startsWith("train: key ") && lines[0].contains("| 12 rows |") && lines[0].contains("extracted"), lines[0]);
        assertTrue(lines[1].startsWith("test: key ") && lines[1].contains("img/s"), lines[1]);
        CliRun second = CliRun.of(args);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("reused"), second.out());
        assertEquals(lines[0].substring(0, 80), second.out().strip().split("\n")[0].substring(0, 80), "same key");
    }

    @Test
    void sparkWithoutTheSparkModuleIsOneLineExit2(@TempDir Path tmp) throws IOException {
        // cli's own tests run without the spark module: the option must say where it comes from, not crash
        CliRun.of("extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", dataset(tmp), "--cache", tmp.resolve("c").toString(),
                "--no-progress", "--device", "cpu", "--spark", "local[2]").assertRefused("--spark", "spark module");
    }

    @Test
    void missingBackboneFileIsOneLineExit2(@TempDir Path tmp) throws IOException {
        CliRun.of("extract", "--backbone", tmp.resolve("nope.yaml").toString(), "--dataset", dataset(tmp),
                "--cache", tmp.resolve("c").toString(), "--no-progress").assertRefused("nope.yaml", "not found");
    }

    @Test
    void wrongLayerListsTheAllowedOnes(@TempDir Path tmp) throws IOException {
        CliRun.of("extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", dataset(tmp), "--split", "test", "--layers", "block_9",
                "--cache", tmp.resolve("c").toString(), "--no-progress", "--device", "cpu").assertRefused("block_9", "allowed:", "hidden_state_4");
    }

    @Test
    void badDtypeAndUnknownSplitAreOneLineExit2(@TempDir Path tmp) throws IOException {
        String ds = dataset(tmp);
        CliRun.of("extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", ds, "--dtype", "int4", "--cache", tmp.resolve("c").toString())
                .assertRefused("--dtype", "int4", "float16, float32, int8");
        CliRun.of("extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", ds, "--split", "val", "--cache", tmp.resolve("c").toString())
                .assertRefused("--split val", "train, test");
        CliRun.of("extract", "--backbone", RepoPaths.fixtureBackbone(), "--dataset", ds, "--device", "tpu", "--cache", tmp.resolve("c").toString())
                .assertRefused("--device", "tpu");
    }
}
