package io.glimpse.cli.extract;

import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Glimpse.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path root() {
        return Paths.get(System.getProperty("glimpse.root", "..")).toAbsolutePath().normalize();
    }

    private static String backbone() {
        return root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString();
    }

    /** A 2-split IDX dataset of the fixture's 16 golden test images. */
    private static String dataset(Path dir) throws IOException {
        Path shared = Paths.get(System.getProperty("glimpse.shared", root().resolve("../shared").toString()));
        byte[] u8 = Files.readAllBytes(shared.resolve("fixtures/fmnist-mae-vit.golden16.input_u8.bin"));
        for (String split : new String[] {"train", "test"}) {
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(split + "-images.gz"))))) {
                o.writeInt(0x803);
                o.writeInt(16);
                o.writeInt(28);
                o.writeInt(28);
                o.write(u8);
            }
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(split + "-labels.gz"))))) {
                o.writeInt(0x801);
                o.writeInt(16);
                for (int i = 0; i < 16; i++) o.writeByte(i % 10);
            }
        }
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "name: tiny\nformat: idx\nsplits:\n  train: {images: train-images.gz, labels: train-labels.gz}\n"
                + "  test: {images: test-images.gz, labels: test-labels.gz}\n");
        return yaml.toString();
    }

    @Test
    void extractsBothSplitsThenReusesThem(@TempDir Path tmp) throws IOException {
        String ds = dataset(tmp);
        String[] args = {"extract", "--backbone", backbone(), "--dataset", ds, "--cache", tmp.resolve("cache").toString(), "--limit", "12",
                "--batch", "5", "--no-progress", "--device", "cpu"};
        Run first = run(args);
        assertEquals(0, first.code(), first.err());
        String[] lines = first.out().strip().split("\n");
        assertEquals(2, lines.length, first.out());
        assertTrue(lines[0].startsWith("train: key ") && lines[0].contains("| 12 rows |") && lines[0].contains("extracted"), lines[0]);
        assertTrue(lines[1].startsWith("test: key ") && lines[1].contains("img/s"), lines[1]);
        Run second = run(args);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("reused"), second.out());
        assertEquals(lines[0].substring(0, 80), second.out().strip().split("\n")[0].substring(0, 80), "same key");
    }

    private static void assertBadInput(Run r, String... mustContain) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String s : mustContain) assertTrue(r.err().contains(s), r.err());
    }

    @Test
    void missingBackboneFileIsOneLineExit2(@TempDir Path tmp) throws IOException {
        assertBadInput(run("extract", "--backbone", tmp.resolve("nope.yaml").toString(), "--dataset", dataset(tmp),
                "--cache", tmp.resolve("c").toString(), "--no-progress"), "nope.yaml", "not found");
    }

    @Test
    void wrongLayerListsTheAllowedOnes(@TempDir Path tmp) throws IOException {
        assertBadInput(run("extract", "--backbone", backbone(), "--dataset", dataset(tmp), "--split", "test", "--layers", "block_9",
                "--cache", tmp.resolve("c").toString(), "--no-progress", "--device", "cpu"), "block_9", "allowed:", "hidden_state_4");
    }

    @Test
    void badDtypeAndUnknownSplitAreOneLineExit2(@TempDir Path tmp) throws IOException {
        String ds = dataset(tmp);
        assertBadInput(run("extract", "--backbone", backbone(), "--dataset", ds, "--dtype", "int8", "--cache", tmp.resolve("c").toString()),
                "--dtype", "int8", "float16");
        assertBadInput(run("extract", "--backbone", backbone(), "--dataset", ds, "--split", "val", "--cache", tmp.resolve("c").toString()),
                "--split val", "train, test");
        assertBadInput(run("extract", "--backbone", backbone(), "--dataset", ds, "--device", "tpu", "--cache", tmp.resolve("c").toString()),
                "--device", "tpu");
    }
}
