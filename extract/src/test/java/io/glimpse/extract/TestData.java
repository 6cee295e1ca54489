package io.glimpse.extract;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small datasets written into a test's temp dir: IDX files from the fixture's 16 images, ImageFolder trees. */
public final class TestData {
    /** Labels of the fixture's 16 golden test images (fmnist-mae-vit.golden16.json). */
    public static final int[] GOLDEN_LABELS = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1};

    private TestData() {
    }

    /** gzipped IDX images [n, rows, cols] and labels, as t10k-*.gz are laid out. */
    public static void writeIdx(Path images, Path labels, byte[] pixels, int[] labelValues, int rows, int cols) throws IOException {
        int n = labelValues.length;
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels, 0, n * rows * cols);
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(labels)))) {
            out.writeInt(0x801);
            out.writeInt(n);
            for (int l : labelValues) out.writeByte(l);
        }
    }

    /**
     * A dataset config with splits train and test, both made of {@code copies} repetitions of the fixture's 16
     * images (test = exactly the golden 16 when copies is 1); returns the YAML path.
     */
    public static Path goldenIdxDataset(Path dir, int copies) throws IOException {
        byte[] u8 = RepoFiles.bytes("fmnist-mae-vit.golden16.input_u8.bin");
        byte[] pixels = new byte[u8.length * copies];
        int[] labels = new int[16 * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(u8, 0, pixels, c * u8.length, u8.length);
            System.arraycopy(GOLDEN_LABELS, 0, labels, c * 16, 16);
        }
        writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), pixels, labels, 28, 28);
        writeIdx(dir.resolve("test-images.gz"), dir.resolve("test-labels.gz"), u8, GOLDEN_LABELS, 28, 28);
        Path yaml = dir.resolve("golden.yaml");
        Files.writeString(yaml, "name: golden16\nformat: idx\nsplits:\n"
                + "  train: {images: train-images.gz, labels: train-labels.gz}\n"
                + "  test: {images: test-images.gz, labels: test-labels.gz}\n");
        return yaml;
    }

    /** Writes the fixture image {@code index} (0..15) as an 8-bit gray PNG. */
    public static void writePng(Path file, int index) throws IOException {
        byte[] u8 = RepoFiles.bytes("fmnist-mae-vit.golden16.input_u8.bin");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(u8, index * 784, (index + 1) * 784));
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    public static Path backboneYaml() {
        return RepoFiles.root().resolve("conf/backbones/fmnist-mae-vit.yaml");
    }
}
