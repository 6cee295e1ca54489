package io.glimpse.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the checkout the CLI tests read: surefire runs in cli/, so the root is {@code glimpse.root} or "..". */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        return Path.of(System.getProperty("glimpse.root", "..")).toAbsolutePath().normalize();
    }

    /** A file of the repository's testdata/ (see testdata/README.md); a missing one fails the test, it never skips it. */
    public static Path testdata(String relative) {
        Path f = root().resolve("testdata").resolve(relative);
        if (!Files.isRegularFile(f)) throw new IllegalStateException("test data file missing: " + f + " (see testdata/README.md)");
        return f;
    }

    public static String fixtureBackbone() {
        return root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString();
    }

    public static String fashionMnist() {
        return root().resolve("conf/datasets/fashion-mnist.yaml").toString();
    }
}
