package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.glimpse.train.TrainInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeHeadFilesTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();

    @Test
    void savedHeadRestoresParametersAndRunningStatistics(@TempDir Path dir) {
        Path file = dir.resolve("best.head");
        try (NDManager manager = NDManager.newBaseManager();
             ProbeHead trained = REGISTRY.create("efficient", new ProbeOptions(4, 1, 0), HeadFixtures.SMALL, 5, manager, 1);
             ProbeHead fresh = REGISTRY.create("efficient", new ProbeOptions(4, 1, 0), HeadFixtures.SMALL, 5, manager, 2)) {
            NDArray tokens = HeadFixtures.tokens(manager, HeadFixtures.SMALL, 4, 3, DataType.FLOAT32);
            trained.forward(tokens, true);
            ProbeHeadFiles.save(trained, file);
            assertTrue(Files.exists(file));
            assertFalse(Files.exists(dir.resolve("best.head.tmp")));
            ProbeHeadFiles.load(fresh, file);
            assertArrayEquals(trained.forward(tokens, false).toFloatArray(), fresh.forward(tokens, false).toFloatArray());
            assertArrayEquals(trained.buffers().get("bn.running_var").toFloatArray(), fresh.buffers().get("bn.running_var").toFloatArray());
        }
    }

    @Test
    void refusesAnotherProbesFile(@TempDir Path dir) {
        Path file = dir.resolve("last.head");
        try (NDManager manager = NDManager.newBaseManager();
             ProbeHead linear = REGISTRY.create("linear", ProbeOptions.DEFAULTS, HeadFixtures.SMALL, 5, manager, 1);
             ProbeHead gap = REGISTRY.create("linear-gap", ProbeOptions.DEFAULTS, HeadFixtures.SMALL, 5, manager, 1)) {
            ProbeHeadFiles.save(linear, file);
            String message = assertThrows(TrainInputException.class, () -> ProbeHeadFiles.load(gap, file)).getMessage();
            assertTrue(message.contains(file.toString()) && message.contains("holds probe linear"), message);
        }
    }
}
