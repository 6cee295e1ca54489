package io.glimpse.train.memory;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBudgetTest {
    @Test
    void sizesParseInBinaryUnitsAndBadOnesAreRefusedNamingTheOption() {
        assertEquals(16L << 30, MemoryBudget.parse("16G").bytes());
        assertEquals(800L << 20, MemoryBudget.parse("800M").bytes());
        assertEquals(3L << 29, MemoryBudget.parse("1.5GiB").bytes());
        assertEquals(4096, MemoryBudget.parse("4k").bytes());
        assertEquals(12345, MemoryBudget.parse("12345").bytes());
        for (String bad : List.of("", "lots", "-1G", "0", "1X", "1.2.3G")) {
            TrainInputException e = assertThrows(TrainInputException.class, () -> MemoryBudget.parse(bad));
            assertTrue(e.getMessage().startsWith("--memory-budget"), e.getMessage());
        }
    }

    @Test
    void theDefaultIsMemAvailableMinusHeadroomWithAFallback(@TempDir Path dir) throws IOException {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   16777216 kB\n");
        MemoryBudget b = MemoryBudget.fromAvailable(meminfo);
        assertEquals((16L << 30) - (2L << 30), b.bytes(), "16 GiB available less an eighth");
        assertTrue(b.source().startsWith("MemAvailable 16.0 GiB minus 2.0 GiB"), b.source());
        Files.writeString(meminfo, "MemAvailable:    1048576 kB\n");
        assertEquals((1L << 30) - (512L << 20), MemoryBudget.fromAvailable(meminfo).bytes(), "at least 512 MiB headroom");
        MemoryBudget fallback = MemoryBudget.fromAvailable(dir.resolve("absent"));
        assertTrue(fallback.bytes() > 0 && fallback.source().startsWith("free physical memory"), fallback.toString());
    }

    @Test
    void theEstimateGrowsWithTheBatchAndWithWhatAHeadKeeps() {
        TokenLayout layout = new TokenLayout(17, 32, 1, 4, 4);
        ProbeRegistry registry = new ProbeRegistry();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
             ProbeHead linear = registry.create("linear", ProbeOptions.DEFAULTS, layout, 10, m, 0);
             ProbeHead ep = registry.create("efficient", new ProbeOptions(8, 1, 0), layout, 10, m, 0);
             ProbeHead vit = registry.create("dinovit", ProbeOptions.DEFAULTS, layout, 10, m, 0)) {
            HeadMemory l = HeadMemory.of(linear, OptimizerKind.LARS, layout.dim(), 10);
            // parameters, gradients, one momentum slot, the selected copy and a checkpoint copy
            assertEquals(4L * linear.parameterCount() * 5, l.fixedBytes());
            assertEquals(4L * linear.parameterCount() * 6, HeadMemory.of(linear, OptimizerKind.ADAMW, layout.dim(), 10).fixedBytes());
            assertEquals(l.fixedBytes() + 100 * l.bytesPerSample(), l.at(100));
            HeadMemory e = HeadMemory.of(ep, OptimizerKind.LARS, layout.dim(), 10);
            HeadMemory v = HeadMemory.of(vit, OptimizerKind.LARS, layout.dim(), 10);
            assertTrue(l.bytesPerSample() < e.bytesPerSample() && e.bytesPerSample() < v.bytesPerSample(),
                    l + " " + e + " " + v);
            // EP copies the patch tokens it reads
            assertTrue(e.bytesPerSample() >= 4L * 16 * 32, e.toString());
        }
    }
}
