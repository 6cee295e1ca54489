package io.glimpse.cli.cache;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class CacheCommandTest {
    @TempDir
    Path root;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cache-dir";
        all[args.length + 1] = root.toString();
        return CliRun.of(all);
    }

    private CacheKey entry(String split, int rows) {
        TokenLayout layout = new TokenLayout(3, 4, 1, 0, 0);
        CacheDescription d = new CacheDescription("tiny-vit", "12".repeat(32), List.of("hidden_state_4"), new TreeMap<>(Map.of("size", "8")),
                "toy", "fp", split, TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        try (EntryWriter w = CacheStore.open(root).openWriter(d, layout, WriterOptions.rowsPerShard(7))) {
            FloatBuffer t = ByteBuffer.allocateDirect(rows * 12 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            String[] ids = new String[rows];
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = split + "/" + r;
                labels[r] = r % 3;
                for (int i = 0; i < 12; i++) {
                    t.put(r * 12 + i, r * 0.5f - i);
                }
            }
            w.append(ids, labels, Map.of("hidden_state_4", t), rows);
            w.finish(Map.of("extract_seconds", 2.0), List.of("bad/1"));
        }
        return d.key();
    }

    @Test
    void lsInfoVerifyRm() throws Exception {
        CliRun empty = run("cache", "ls");
        assertEquals(0, empty.code());
        assertTrue(empty.out().contains("no cache entries"), empty.out());

        CacheKey train = entry("train", 20);
        CacheKey test = entry("test", 5);
        CliRun ls = run("cache", "ls");
        assertEquals(0, ls.code(), ls.err());
        List<String> lines = ls.out().strip().lines().toList();
        assertEquals(3, lines.size(), ls.out());
        assertTrue(lines.get(0).startsWith("KEY") && lines.get(0).contains("TxD") && lines.get(0).contains("STATUS"), lines.get(0));
        String trainLine = lines.stream().filter(l -> l.startsWith(train.shortForm())).findFirst().orElseThrow();
        for (String part : List.of("tiny-vit", "toy", "train", "20", "3x4", "float16", "complete")) {
            assertTrue(trainLine.contains(part), part + " missing in: " + trainLine);
        }

        CliRun info = run("cache", "info", train.hex().substring(0, 6));
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains(train.hex()), info.out());
        assertTrue(info.out().contains("shard-00002.arrow"), info.out());
        assertTrue(info.out().contains("T=3 (1 prefix + 2 patches), D=4, float16"), info.out());
        assertTrue(info.out().contains("skipped        1 id(s): bad/1"), info.out());
        CliRun json = run("cache", "info", "--json", test.hex());
        assertTrue(json.out().contains("\"status\" : \"complete\""), json.out());

        CliRun verify = run("cache", "verify");
        assertEquals(0, verify.code(), verify.err());
        assertEquals(2, verify.out().lines().filter(l -> l.startsWith("ok")).count(), verify.out());

        try (RandomAccessFile f = new RandomAccessFile(root.resolve(train.hex()).resolve("shard-00001.arrow").toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        CliRun bad = run("cache", "verify");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("cache entry " + train.shortForm() + ": shard-00001.arrow: truncated"), bad.err());
        CliRun badOne = run("cache", "verify", test.shortForm());
        assertEquals(0, badOne.code(), badOne.err());

        Files.writeString(root.resolve(test.hex()).resolve("manifest.json"), "not json");
        CliRun broken = run("cache", "ls");
        assertTrue(broken.out().lines().anyMatch(l -> l.startsWith(test.shortForm()) && l.contains("broken")), broken.out());
        assertEquals(1, run("cache", "verify", test.shortForm()).code());

        CliRun rm = run("cache", "rm", train.shortForm());
        assertEquals(0, rm.code(), rm.err());
        assertFalse(Files.exists(root.resolve(train.hex())));
        assertEquals(2, run("cache", "rm", train.shortForm()).code());
    }

    @Test
    void badKeysAreOneLineUsageErrors() {
        entry("train", 3);
        entry("test", 3);
        CliRun notHex = run("cache", "info", "xyz");
        assertEquals(2, notHex.code());
        assertEquals(1, notHex.err().strip().lines().count(), notHex.err());
        CliRun none = run("cache", "info", "0000000");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no cache entry matches"), none.err());
        CliRun ambiguous = run("cache", "rm", "");
        assertEquals(2, ambiguous.code());
    }
}
