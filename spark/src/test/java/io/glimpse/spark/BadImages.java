package io.glimpse.spark;

import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** An ImageFolder of 24 PNGs (the fixture's 16 images, repeated) in two classes, with b/img-13.png not a PNG. */
final class BadImages {
    private BadImages() {
    }

    static Path folder(Path root) throws Exception {
        byte[] u8 = Files.readAllBytes(SparkTestData.root().resolve("testdata/fmnist-mae-vit.golden16.input_u8.bin"));
        for (int i = 0; i < 24; i++) {
            Path file = root.resolve("train").resolve(i < 12 ? "a" : "b").resolve(String.format("img-%02d.png", i));
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            int k = i % 16;
            img.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(u8, k * 784, (k + 1) * 784));
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        }
        Files.write(root.resolve("train/b/img-13.png"), "this is not a png".getBytes());
        Path yaml = root.resolve("ds.yaml");
        Files.writeString(yaml, "name: corrupt\nformat: imagefolder\nsplits:\n  train: {root: train}\n");
        return yaml;
    }

    static ExtractRequest request(Path yaml) {
        return ExtractRequest.of(BackboneConfigLoader.load(SparkTestData.root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString()),
                DatasetConfigLoader.load(yaml.toString()), "train", new BackboneOptions(2, DeviceChoice.CPU, null))
                .withDtype(TokenDtype.FLOAT32).withBatch(4, 2).withRowsPerShard(4);
    }
}
