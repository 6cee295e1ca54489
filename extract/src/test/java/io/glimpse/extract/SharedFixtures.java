package io.glimpse.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds ../shared/fixtures: the glimpse.shared property surefire sets, else the nearest shared/fixtures above. */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path dir() {
        String prop = System.getProperty("glimpse.shared");
        if (prop != null && Files.isDirectory(Paths.get(prop, "fixtures"))) return Paths.get(prop, "fixtures").toAbsolutePath().normalize();
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/fixtures"))) return p.resolve("shared/fixtures");
        }
        throw new IllegalStateException("shared/fixtures not found (set -Dglimpse.shared)");
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    /** The repository root (conf/ lives there). */
    public static Path repoRoot() {
        String prop = System.getProperty("glimpse.root");
        if (prop != null && Files.isDirectory(Paths.get(prop, "conf"))) return Paths.get(prop).toAbsolutePath().normalize();
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("conf/backbones"))) return p;
        }
        throw new IllegalStateException("repository root with conf/backbones not found");
    }

    public static byte[] bytes(String relative) throws IOException {
        return Files.readAllBytes(file(relative));
    }

    public static float[] floats(String relative) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes(relative)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
