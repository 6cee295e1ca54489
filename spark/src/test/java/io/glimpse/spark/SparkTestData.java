package io.glimpse.spark;

import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.vectors.VectorRecord;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests the Spark tests run, and the comparison of two entries' files. */
final class SparkTestData {
    /** 2,048 Fashion-MNIST test images in 4 shards of 512 rows: 4 tasks on local[2]. */
    static final int IMAGES = 2048;
    static final int ROWS_PER_SHARD = 512;

    private SparkTestData() {
    }

    static Path root() {
        return Path.of(System.getProperty("glimpse.root", "..")).toAbsolutePath().normalize();
    }

    static boolean fashionMnistPresent() {
        String dir = System.getenv().getOrDefault("GLIMPSE_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist");
        return Files.isRegularFile(Path.of(dir, "t10k-images-idx3-ubyte.gz"));
    }

    static ExtractRequest fashionMnist() {
        return ExtractRequest.of(BackboneConfigLoader.load(root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString()),
                        DatasetConfigLoader.load(root().resolve("conf/datasets/fashion-mnist.yaml").toString()), "test",
                        new BackboneOptions(2, DeviceChoice.CPU, null))
                .withDtype(TokenDtype.FLOAT16).withLimit(IMAGES).withRowsPerShard(ROWS_PER_SHARD).withBatch(64, 1);
    }

    /** Every shard file of the two entry directories equal byte for byte, and the same shard files on both sides. */
    static void assertSameShards(Path a, Path b) throws IOException {
        List<String> left = shards(a), right = shards(b);
        assertEquals(left, right, "shard files");
        for (String f : left) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }

    /** Both entries' vector sidecars: vectors.arrow equal byte for byte, vectors.json equal but for its creation time. */
    static void assertSameSidecar(Path a, Path b) throws IOException {
        for (Path dir : List.of(a, b)) assertTrue(Files.isRegularFile(dir.resolve(VectorRecord.DATA_FILE)), "no vector sidecar in " + dir);
        assertArrayEquals(Files.readAllBytes(a.resolve(VectorRecord.DATA_FILE)), Files.readAllBytes(b.resolve(VectorRecord.DATA_FILE)), VectorRecord.DATA_FILE);
        VectorRecord left = VectorRecord.read(a, a.toString()), right = VectorRecord.read(b, b.toString());
        assertEquals(left, new VectorRecord(right.format(), right.key(), right.rows(), right.dim(), right.prefixTokens(), right.layers(),
                right.file(), right.bytes(), right.crc32c(), left.created()), VectorRecord.FILE);
    }

    static List<String> shards(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("shard-")).sorted().toList());
        }
    }
}
