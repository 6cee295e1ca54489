package io.glimpse.spark;

import io.glimpse.cache.CacheStore;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.Extractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An executor that cannot load the model. In local mode the executor shares the driver's loaded session, so the
 * task is run directly, as an executor JVM runs it, on a model file that is not ONNX: its error must be the
 * single-machine one line (the driver passes it through unchanged, as the bad-image test shows).
 */
class ExecutorModelFailureTest {
    @Test
    void aModelTheExecutorCannotLoadGivesTheOneMachineError(@TempDir Path tmp) throws Exception {
        assumeTrue(SparkTestData.fashionMnistPresent(), "Fashion-MNIST not installed (make data)");
        Path conf = SparkTestData.root().resolve("conf/backbones");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(conf.resolve("fmnist-mae-vit.yaml"), broken.resolve("fmnist-mae-vit.yaml"));
        Files.copy(conf.resolve("fmnist-mae-vit.json"), broken.resolve("fmnist-mae-vit.json"));
        Files.writeString(broken.resolve("fmnist-mae-vit.onnx"), "not an onnx model");
        Path backboneYaml = broken.resolve("fmnist-mae-vit.yaml");
        Path datasetYaml = SparkTestData.root().resolve("conf/datasets/fashion-mnist.yaml");

        ExtractRequest request = ExtractRequest.of(BackboneConfigLoader.load(backboneYaml.toString()), DatasetConfigLoader.load(datasetYaml.toString()),
                "test", new BackboneOptions(1, DeviceChoice.CPU, null)).withLimit(64).withBatch(64, 1);
        String oneMachine = assertThrows(RuntimeException.class, () -> new Extractor(CacheStore.open(tmp.resolve("cache"))).ensure(request)).getMessage();
        assertTrue(oneMachine.contains("fmnist-mae-vit.onnx"), oneMachine);

        ShardJob job = new ShardJob(backboneYaml.toString(), List.of("hidden_state_4"), datasetYaml.toString(), "test", "float16", 64, 1, 0, 64, 1,
                1, "cpu", false, "0".repeat(64), tmp.resolve("entry").toString(), "entry", null, 64);
        ShardTask task = new ShardTask(0, 0, 0, 64);
        RuntimeException onExecutor = assertThrows(RuntimeException.class,
                () -> new ShardWriter(job).apply(scala.jdk.javaapi.CollectionConverters.asScala(List.of(task).iterator())));
        assertEquals(oneMachine, onExecutor.getMessage());
        assertEquals(1, onExecutor.getMessage().lines().count());
        assertTrue(Files.notExists(tmp.resolve("entry")) || Files.list(tmp.resolve("entry")).findAny().isEmpty(), "the failed task leaves no file");
    }
}
