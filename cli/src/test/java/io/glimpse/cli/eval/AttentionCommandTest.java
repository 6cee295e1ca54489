package io.glimpse.cli.eval;

import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.cli.testing.TinyIdxDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** extract (fixture backbone, 16 real images) → train EP → attention: overlays of the pictures the tokens came from. */
class AttentionCommandTest {
    @TempDir
    Path tmp;

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
        return TinyIdxDataset.write(tmp, 28, 28, u8, labels,
                List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));
    }

    @Test
    void drawsOverlaysOfATrainedEfficientProbe() throws Exception {
        String backbone = RepoPaths.fixtureBackbone();
        String ds = dataset().toString();
        String cache = tmp.resolve("cache").toString();
        String runs = tmp.resolve("runs").toString();
        CliRun extract = CliRun.of("extract", "--backbone", backbone, "--dataset", ds, "--cache", cache, "--no-progress", "--device", "cpu")
                .assertOk();
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("(train|test): key ([0-9a-f]+)").matcher(extract.out());
        java.util.Map<String, String> key = new java.util.HashMap<>();
        while (keys.find()) key.put(keys.group(1), keys.group(2));
        CliRun.of("train", "--probe", "efficient", "--queries", "4", "--epochs", "1", "--batch", "8",
                "--train-cache", key.get("train"), "--test-cache", key.get("test"), "--cache", cache, "--runs", runs, "--quiet").assertOk();
        Path runDir;
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            runDir = s.filter(d -> Files.isRegularFile(d.resolve("result.json"))).findFirst().orElseThrow();
        }
        Path figures = tmp.resolve("figures");
        CliRun.of("attention", "--run", runDir.toString(), "--images", "3", "--backbone", backbone, "--dataset", ds,
                "--cache", cache, "--out", figures.toString()).assertOk();
        List<String> files;
        try (Stream<Path> s = Files.list(figures)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // one per class first: rows 0 (9), 1 (2), 2 (1)
        assertEquals(List.of("attention-grid.png", "attention-test_000000.png", "attention-test_000001.png", "attention-test_000002.png"), files);
        BufferedImage grid = ImageIO.read(figures.resolve("attention-grid.png").toFile());
        assertTrue(grid.getWidth() >= 5 * 96 && grid.getHeight() >= 3 * 96, grid.getWidth() + "x" + grid.getHeight());

        CliRun.of("attention", "--run", runDir.toString(), "--ids", "test/999999", "--backbone", backbone,
                "--dataset", ds, "--cache", cache).assertRefused("test/999999");
    }
}
