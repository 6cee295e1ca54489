package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenCache;
import io.glimpse.extract.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILLs a child JVM in the middle of an extraction at several points, resumes, and checks that the finished
 * entry's ids, labels and token bits equal an uninterrupted run's.
 */
class ResumeAfterKillTest {
    private static final int COPIES = 40; // 640 images, 40 rows per shard = 16 shards

    @Test
    void killedRunsResumeToTheSameTokens(@TempDir Path tmp) throws Exception {
        Path yaml = TestData.goldenIdxDataset(Files.createDirectories(tmp.resolve("data")), COPIES);
        CacheStore reference = CacheStore.open(tmp.resolve("reference"));
        ExtractResult ref = new Extractor(reference).ensure(ExtractChild.request(yaml));
        assertEquals(16L * COPIES, ref.rows());

        Path killedRoot = tmp.resolve("killed");
        CacheStore killed = CacheStore.open(killedRoot);
        Path entry = killed.entryDirectory(ref.key());
        int kills = 0;
        for (int shards : new int[] {2, 6, 11}) {
            Process child = child(yaml, killedRoot, tmp.resolve("child-" + shards + ".log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && shardCount(entry) < shards && System.nanoTime() < deadline) Thread.sleep(2);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor(30, TimeUnit.SECONDS);
            Optional<CacheEntryInfo> info = killed.find(ref.key());
            if (info.isPresent() && info.get().status() == EntryStatus.PARTIAL) kills++;
        }
        assertTrue(kills >= 2, "the child finished before it could be killed; only " + kills + " kills left a partial entry");

        ExtractResult resumed = new Extractor(killed).ensure(ExtractChild.request(yaml));
        assertTrue(resumed.resumedFromRow() > 0, "the last run resumed from committed shards");
        assertEquals(ref.rows(), resumed.rows());
        assertSameTokens(reference, killed, ref.key());
    }

    private static Process child(Path yaml, Path cacheRoot, Path log) throws Exception {
        return new ProcessBuilder(ExtractChild.command(yaml, cacheRoot, List.of(), null)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long shardCount(Path entry) throws Exception {
        if (!Files.isDirectory(entry)) return 0;
        try (Stream<Path> s = Files.list(entry)) {
            return s.filter(p -> p.getFileName().toString().matches("shard-\\d+\\.arrow")).count();
        }
    }

    private static void assertSameTokens(CacheStore a, CacheStore b, CacheKey key) {
        try (TokenCache x = a.openReader(key); TokenCache y = b.openReader(key)) {
            assertEquals(x.rows(), y.rows());
            int n = x.rows(), values = x.layout().rowValues();
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
                assertEquals(x.id(i), y.id(i));
                assertEquals(x.label(i), y.label(i));
            }
            for (String layer : x.layers()) {
                FloatBuffer fx = FloatBuffer.allocate(n * values), fy = FloatBuffer.allocate(n * values);
                x.gather(rows, n, layer, fx);
                y.gather(rows, n, layer, fy);
                assertArrayEquals(fx.array(), fy.array(), layer + " tokens differ after resume");
            }
        }
    }
}
