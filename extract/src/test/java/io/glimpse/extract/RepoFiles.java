package io.glimpse.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Files of the checkout the extract tests read: conf/ and the goldens in testdata/ (described in
 * testdata/README.md). The root is the {@code glimpse.root} property surefire sets, else the nearest folder
 * above the working directory that holds both conf/backbones and testdata.
 */
public final class RepoFiles {
    private RepoFiles() {
    }

    public static Path root() {
        String prop = System.getProperty("glimpse.root");
        if (prop != null) {
            Path p = Paths.get(prop).toAbsolutePath().normalize();
            if (isRoot(p)) return p;
            throw new IllegalStateException("glimpse.root=" + prop + " holds no conf/backbones and testdata/");
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRoot(p)) return p;
        }
        throw new IllegalStateException("repository root (conf/backbones and testdata/) not found above " + Paths.get("").toAbsolutePath());
    }

    private static boolean isRoot(Path p) {
        return Files.isDirectory(p.resolve("conf/backbones")) && Files.isDirectory(p.resolve("testdata"));
    }

    /** A file under testdata/; a missing one fails the test, it never skips it. */
    public static Path testdata(String relative) {
        Path f = root().resolve("testdata").resolve(relative);
        if (!Files.isRegularFile(f)) throw new IllegalStateException("test data file missing: " + f + " (see testdata/README.md)");
        return f;
    }

    /** The embedded backbone's model (conf/backbones), the one the goldens of testdata/ were made with. */
    public static Path backboneOnnx() {
        Path f = root().resolve("conf/backbones/fmnist-mae-vit.onnx");
        if (!Files.isRegularFile(f)) throw new IllegalStateException("backbone missing: " + f);
        return f;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(testdata(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw little-endian float32 file of testdata/. */
    public static float[] floats(String relative) {
        ByteBuffer b = ByteBuffer.wrap(bytes(relative)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
