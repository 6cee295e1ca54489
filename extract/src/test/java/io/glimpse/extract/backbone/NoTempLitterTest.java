package io.glimpse.extract.backbone;

import io.glimpse.extract.TestData;
import io.glimpse.extract.pipeline.ExtractChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extractions in child JVMs, each with java.io.tmpdir pointed at one fresh folder, leave that folder empty: two that
 * finish and one SIGKILLed after ONNX Runtime has started. ONNX Runtime loads its libraries from the stable directory
 * under $GLIMPSE_CACHE/native, which the first run fills and the later ones reuse. The children's classpath also
 * carries a provider plugin resource, as the GPU jar does, which ONNX Runtime would otherwise copy to its temp folder.
 */
class NoTempLitterTest {

    @Test
    void finishedAndKilledRunsLeaveNothingInTheTempFolder(@TempDir Path tmp) throws Exception {
        Path small = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("small")), 1);
        Path large = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("large")), 40); // 640 images: time to kill the run
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path glimpseCache = tmp.resolve("glimpse-cache");
        String platform = OrtNativeLibraries.currentPlatform().orElseThrow();
        String provider = OrtNativeLibraries.fileName("onnxruntime_providers_shared");
        Path extra = tmp.resolve("extra-classpath");
        Files.createDirectories(extra.resolve("ai/onnxruntime/native/" + platform));
        Files.write(extra.resolve("ai/onnxruntime/native/" + platform + "/" + provider), new byte[4096]);

        Object runtimeFile = null;
        for (int run = 1; run <= 2; run++) {
            Path log = tmp.resolve("child-" + run + ".log");
            Process child = child(small, tmp.resolve("tokens-" + run), javaTmp, glimpseCache, extra, log);
            assertTrue(child.waitFor(180, TimeUnit.SECONDS), "child " + run + " did not finish");
            assertEquals(0, child.exitValue(), "child " + run + " failed:\n" + Files.readString(log));
            assertEquals(List.of(), contents(javaTmp), "run " + run + " left these in java.io.tmpdir");

            Path dir = onlyDirectory(glimpseCache.resolve("native"));
            assertTrue(Files.isRegularFile(dir.resolve(provider)), "the provider plugin lies next to the runtime in " + dir);
            Object key = Files.readAttributes(dir.resolve(OrtNativeLibraries.fileName("onnxruntime")), BasicFileAttributes.class).fileKey();
            if (run == 2) assertEquals(runtimeFile, key, "the second run rewrote the runtime library instead of reusing it");
            runtimeFile = key;
        }

        // The entry directory appears once the backbone is open, i.e. after ONNX Runtime's start
        Path tokens = tmp.resolve("tokens-killed");
        Process killed = child(large, tokens, javaTmp, glimpseCache, extra, tmp.resolve("child-killed.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (killed.isAlive() && !Files.isDirectory(tokens) && System.nanoTime() < deadline) Thread.sleep(2);
        killed.destroyForcibly(); // SIGKILL: no delete-on-exit, no shutdown hooks
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, killed.exitValue(), "the child finished before it could be killed:\n" + Files.readString(tmp.resolve("child-killed.log")));
        assertEquals(List.of(), contents(javaTmp), "the killed run left these in java.io.tmpdir");
    }

    private static Process child(Path yaml, Path cacheRoot, Path javaTmp, Path glimpseCache, Path extraClasspath, Path log) throws Exception {
        List<String> cmd = ExtractChild.command(yaml, cacheRoot, List.of("-Djava.io.tmpdir=" + javaTmp), extraClasspath.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GLIMPSE_CACHE", glimpseCache.toString());
        return pb.start();
    }

    private static List<String> contents(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static Path onlyDirectory(Path parent) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size(), "one library directory under " + parent + ": " + dirs);
            return dirs.get(0);
        }
    }
}
