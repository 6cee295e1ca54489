package io.glimpse.spark;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.extract.pipeline.DistributedEngine;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Spark local[2] against the single-JVM extractor on 2,048 Fashion-MNIST images in 4 partitions. */
class SparkExtractionTest {
    @TempDir
    static Path tmp;
    static ExtractResult single;
    static Path singleDir;

    @BeforeAll
    static void singleMachine() {
        assumeTrue(SparkTestData.fashionMnistPresent(), "Fashion-MNIST not installed (make data)");
        CacheStore store = CacheStore.open(tmp.resolve("single"));
        single = new Extractor(store).ensure(SparkTestData.fashionMnist());
        singleDir = store.entryDirectory(single.key());
    }

    private static ExtractResult onSpark(String master, CacheStore store, ExtractRequest request) {
        try (DistributedEngine.Session s = DistributedEngine.named("spark").orElseThrow().start(master, store)) {
            return s.ensure(request);
        }
    }

    private static Manifest manifest(CacheStore store, ExtractResult r) {
        return store.find(r.key()).orElseThrow().manifest().orElseThrow();
    }

    @Test
    void sameKeyShardsAndChecksumsAsOneMachineAndAFailedTaskIsRetried() throws Exception {
        CacheStore store = CacheStore.open(tmp.resolve("spark"));
        System.setProperty(TestHooks.FAIL_FIRST_ATTEMPT, "1");
        ExtractResult r;
        try {
            // one attempt per task: the injected failure fails the job and its attempt leaves no temp shard
            CacheStore once = CacheStore.open(tmp.resolve("no-retry"));
            RuntimeException e = assertThrows(RuntimeException.class, () -> onSpark("local[2]", once, SparkTestData.fashionMnist()));
            assertTrue(e.getMessage().contains("injected failure of shard 1"), e.getMessage());
            assertTrue(SparkTestData.shards(once.entryDirectory(single.key())).stream().noneMatch(f -> f.endsWith(".tmp")));
            // two attempts per task: Spark retries it and the entry is whole
            r = onSpark("local[2,2]", store, SparkTestData.fashionMnist());
            assertTrue(SparkTestData.shards(store.entryDirectory(r.key())).stream().noneMatch(f -> f.endsWith(".tmp")));
        } finally {
            System.clearProperty(TestHooks.FAIL_FIRST_ATTEMPT);
        }
        assertEquals(single.key(), r.key());
        assertEquals(SparkTestData.IMAGES, r.rows());
        Manifest a = manifest(CacheStore.open(tmp.resolve("single")), single), b = manifest(store, r);
        assertEquals(EntryStatus.COMPLETE, b.status());
        assertEquals(4, b.shards().size());
        assertEquals(a.shards(), b.shards(), "shard records: names, rows, bytes, CRC-32C");
        assertEquals(a.description(), b.description());
        assertEquals(a.layout(), b.layout());
        assertEquals(a.indexCapacity(), b.indexCapacity());
        assertEquals(4, ((Number) b.extractionStats().get("partitions")).intValue());
        SparkTestData.assertSameShards(singleDir, store.entryDirectory(r.key()));
        SparkTestData.assertSameSidecar(singleDir, store.entryDirectory(r.key()));
        assertTrue(store.verify(r.key()).ok(), store.verify(r.key()).problems().toString());

        // the same request again is a cache hit, without a job
        ExtractResult again = onSpark("local[2]", store, SparkTestData.fashionMnist());
        assertTrue(again.reused());
    }

    @Test
    void aRerunAfterTheDriverWasKilledReusesEveryCommittedShard() throws Exception {
        Path root = tmp.resolve("killed");
        CacheStore store = CacheStore.open(root);
        Process child = new ProcessBuilder(SparkChild.command(root, List.of("-D" + TestHooks.TASK_DELAY_MS + "=1500")))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        int committed = 0;
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (committed == 0 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(50);
                committed = store.find(single.key()).flatMap(i -> i.manifest()).map(m -> m.shards().size()).orElse(0);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertTrue(committed > 0, "the child committed no shard: " + java.nio.file.Files.readString(tmp.resolve("child.log")));
        Manifest partial = store.find(single.key()).orElseThrow().manifest().orElseThrow();
        assertEquals(EntryStatus.PARTIAL, partial.status());
        assertTrue(partial.shards().size() < 4, "killed before the end");

        ExtractResult r = onSpark("local[2]", store, SparkTestData.fashionMnist());
        assertEquals((long) partial.shards().size() * SparkTestData.ROWS_PER_SHARD, r.resumedFromRow());
        assertEquals(4 - partial.shards().size(), ((Number) manifest(store, r).extractionStats().get("partitions")).intValue());
        assertEquals(partial.shards(), manifest(store, r).shards().subList(0, partial.shards().size()), "committed shards kept as they were");
        SparkTestData.assertSameShards(singleDir, store.entryDirectory(r.key()));
        SparkTestData.assertSameSidecar(singleDir, store.entryDirectory(r.key()));
        assertTrue(store.verify(r.key()).ok(), store.verify(r.key()).problems().toString());
    }

    @Test
    void aSecondJobOnTheSameEntryIsRefusedAtOnce() {
        CacheStore store = CacheStore.open(tmp.resolve("locked"));
        ExtractRequest request = SparkTestData.fashionMnist();
        try (EntryWriter holder = store.openWriter(single.description(), single.layout(), 512)) {
            long t0 = System.nanoTime();
            BadInputException e = assertThrows(BadInputException.class, () -> onSpark("local[2]", store, request));
            assertTrue(e.getMessage().contains("is already being written"), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 60);
            assertFalse(holder.committedRows() > 0);
        }
    }

    @Test
    void aBadImageFailsTheJobWithTheOneMachineMessage() throws Exception {
        Path yaml = BadImages.folder(tmp.resolve("bad"));
        ExtractRequest request = BadImages.request(yaml);
        String oneMachine = assertThrows(RuntimeException.class, () -> new Extractor(CacheStore.open(tmp.resolve("bad-single"))).ensure(request)).getMessage();
        RuntimeException e = assertThrows(RuntimeException.class, () -> onSpark("local[2]", CacheStore.open(tmp.resolve("bad-spark")), request));
        assertEquals(oneMachine, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        // --skip-bad: the same entry as one machine, byte for byte (the bad image shortens its own shard only)
        CacheStore skipStore = CacheStore.open(tmp.resolve("skip-spark"));
        CacheStore oneStore = CacheStore.open(tmp.resolve("skip-single"));
        ExtractResult skipped = onSpark("local[2]", skipStore, request.withSkipBad(true));
        ExtractResult oneSkipped = new Extractor(oneStore).ensure(request.withSkipBad(true));
        assertEquals(oneSkipped.rows(), skipped.rows());
        assertEquals(List.of("b/img-13.png"), skipped.skippedIds());
        assertEquals(oneSkipped.key(), skipped.key());
        assertEquals(manifest(oneStore, oneSkipped).shards(), manifest(skipStore, skipped).shards(), "shard records: names, rows, bytes, CRC-32C");
        assertTrue(manifest(skipStore, skipped).shards().stream().anyMatch(sh -> sh.rows() < 4), "the bad image's shard is the short one");
        SparkTestData.assertSameShards(oneStore.entryDirectory(oneSkipped.key()), skipStore.entryDirectory(skipped.key()));
        assertTrue(skipStore.verify(skipped.key()).ok(), skipStore.verify(skipped.key()).problems().toString());
    }
}
