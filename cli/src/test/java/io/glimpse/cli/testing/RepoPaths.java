package io.glimpse.cli.testing;

import java.nio.file.Path;

/** Files of the checkout the CLI tests read: surefire runs in cli/, so the root is {@code glimpse.root} or "..". */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        return Path.of(System.getProperty("glimpse.root", "..")).toAbsolutePath().normalize();
    }

    /** The shared folder beside the checkout (fixtures), or {@code glimpse.shared}. */
    public static Path shared() {
        return Path.of(System.getProperty("glimpse.shared", root().resolve("../shared").toString()));
    }

    public static String fixtureBackbone() {
        return root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString();
    }

    public static String fashionMnist() {
        return root().resolve("conf/datasets/fashion-mnist.yaml").toString();
    }
}
