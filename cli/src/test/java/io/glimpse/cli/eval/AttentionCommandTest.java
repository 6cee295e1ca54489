package io.glimpse.cli.eval;

import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** extract (fixture backbone, 16 real images) → train EP → attention: overlays of the pictures the tokens came from. */
class AttentionCommandTest {
    @TempDir
    Path tmp;

    private static Path root() {
        return Paths.get(System.getProperty("glimpse.root", "..")).toAbsolutePath().normalize();
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    /** A 16-image IDX dataset (bright squares at label-dependent places on noise), as both splits, with class names. */
    private Path dataset() throws IOException {
        int[] labels = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1};
        byte[] u8 = new byte[16 * 28 * 28];
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < 16; i++) {
            for (int p = 0; p < 28 * 28; p++) {
                int y = p / 28, x = p % 28;
                boolean square = Math.abs(y - 6 - labels[i]) < 5 && Math.abs(x - 6 - 2 * (labels[i] % 5)) < 5;
                u8[i * 784 + p] = (byte) (square ? 200 + rnd.nextInt(55) : rnd.nextInt(40));
            }
        }
        for (String split : new String[]{"train", "test"}) {
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp.resolve(split + "-images.gz"))))) {
                o.writeInt(0x803);
                o.writeInt(16);
                o.writeInt(28);
                o.writeInt(28);
                o.write(u8);
            }
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp.resolve(split + "-labels.gz"))))) {
                o.writeInt(0x801);
                o.writeInt(16);
                for (int l : labels) o.writeByte(l);
            }
        }
        Path yaml = tmp.resolve("tiny.yaml");
        Files.writeString(yaml, "name: tiny\nformat: idx\nsplits:\n  train: {images: train-images.gz, labels: train-labels.gz}\n"
                + "  test: {images: test-images.gz, labels: test-labels.gz}\n"
                + "classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]\n");
        return yaml;
    }

    @Test
    void drawsOverlaysOfATrainedEfficientProbe() throws Exception {
        String backbone = root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString();
        String ds = dataset().toString();
        String cache = tmp.resolve("cache").toString();
        String runs = tmp.resolve("runs").toString();
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "extract", "--backbone", backbone, "--dataset", ds, "--cache", cache, "--no-progress", "--device", "cpu"), out.toString());
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("(train|test): key ([0-9a-f]+)").matcher(out.toString());
        java.util.Map<String, String> key = new java.util.HashMap<>();
        while (keys.find()) key.put(keys.group(1), keys.group(2));
        assertEquals(0, run(out, "train", "--probe", "efficient", "--queries", "4", "--epochs", "1", "--batch", "8",
                "--train-cache", key.get("train"), "--test-cache", key.get("test"), "--cache", cache, "--runs", runs, "--quiet"), out.toString());
        Path runDir;
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            runDir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path figures = tmp.resolve("figures");
        assertEquals(0, run(out, "attention", "--run", runDir.toString(), "--images", "3", "--backbone", backbone, "--dataset", ds,
                "--cache", cache, "--out", figures.toString()), out.toString());
        List<String> files;
        try (Stream<Path> s = Files.list(figures)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // one per class first: rows 0 (9), 1 (2), 2 (1)
        assertEquals(List.of("attention-grid.png", "attention-test_000000.png", "attention-test_000001.png", "attention-test_000002.png"), files);
        BufferedImage grid = ImageIO.read(figures.resolve("attention-grid.png").toFile());
        assertTrue(grid.getWidth() >= 5 * 96 && grid.getHeight() >= 3 * 96, grid.getWidth() + "x" + grid.getHeight());

        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "attention", "--run", runDir.toString(), "--ids", "test/999999", "--backbone", backbone,
                "--dataset", ds, "--cache", cache));
        assertTrue(err.toString().contains("test/999999"), err.toString());
    }
}
