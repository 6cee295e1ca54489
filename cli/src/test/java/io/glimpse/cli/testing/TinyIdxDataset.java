package io.glimpse.cli.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** A gzipped IDX dataset whose train and test splits are the same few images, and its YAML config. */
public final class TinyIdxDataset {
    private TinyIdxDataset() {
    }

    /**
     * Writes {@code dir/{train,test}-{images,labels}.gz} and {@code dir/tiny.yaml}; {@code pixels} holds
     * labels.length images of height x width bytes; {@code classNames} may be empty (then no class names).
     */
    public static Path write(Path dir, int height, int width, byte[] pixels, int[] labels, List<String> classNames) throws IOException {
        if (pixels.length != labels.length * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length + " images of " + height + "x" + width);
        }
        for (String split : new String[] {"train", "test"}) {
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(split + "-images.gz"))))) {
                o.writeInt(0x803);
                o.writeInt(labels.length);
                o.writeInt(height);
                o.writeInt(width);
                o.write(pixels);
            }
            try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(split + "-labels.gz"))))) {
                o.writeInt(0x801);
                o.writeInt(labels.length);
                for (int l : labels) o.writeByte(l);
            }
        }
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "name: tiny\nformat: idx\nsplits:\n  train: {images: train-images.gz, labels: train-labels.gz}\n"
                + "  test: {images: test-images.gz, labels: test-labels.gz}\n"
                + (classNames.isEmpty() ? "" : "classes: [" + String.join(", ", classNames) + "]\n"));
        return yaml;
    }
}
