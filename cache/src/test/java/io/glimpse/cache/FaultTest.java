package io.glimpse.cache;

import io.glimpse.cache.index.RowIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The faults a cache entry can suffer on disk or from concurrent writers (truncated, altered or missing shards, an
 * index that disagrees with the shards, a manifest that is not JSON, a second or killed writer), injected: each is
 * reported in one line naming the entry and the file, verify fails, and readers leave every file exactly as it was.
 */
class FaultTest {
    static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    static final List<String> LAYERS = List.of("hidden_state_4");
    static final WriterOptions OPTIONS = WriterOptions.rowsPerShard(50).withBatchRows(16);

    @TempDir
    Path root;

    private CacheStore store;
    private CacheKey key;

    private String name() {
        return "cache entry " + key.shortForm();
    }

    private void writeEntry() {
        store = CacheStore.open(root);
        key = Synthetic.writeEntry(store, Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1), LAYOUT, 160, OPTIONS, 4);
        assertTrue(store.verify(key).ok(), () -> store.verify(key).problems().toString());
    }

    private Path file(String name) {
        return store.entryDirectory(key).resolve(name);
    }

    /** Name → sha256 of every file in the entry: what a reader must never change. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(store.entryDirectory(key))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().equals(RowIndex.FILE)) continue; // compared separately, see indexIsNotRewrittenByReaders
                out.put(p.getFileName().toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    /** Runs every read path (verify, open, ls, by-id lookup) and returns verify's problems; files must not change. */
    private List<String> readEverything() throws Exception {
        Map<String, String> before = snapshot();
        VerifyReport report = store.verify(key);
        List<String> problems = new ArrayList<>(report.problems());
        try (TokenCache c = store.openReader(key)) {
            for (int r = 0; r < c.rows(); r++) {
                c.row(c.id(r));
            }
        } catch (BadInputException e) {
            problems.add("open: " + e.getMessage());
        }
        store.list();
        assertEquals(before, snapshot(), "a reader changed the entry's files");
        for (String p : problems) {
            assertFalse(p.contains("\n"), "one line: " + p);
        }
        return problems;
    }

    private static void assertReported(List<String> problems, String... parts) {
        for (String p : problems) {
            boolean all = true;
            for (String part : parts) {
                all &= p.contains(part);
            }
            if (all) return;
        }
        fail("no problem mentions " + List.of(parts) + " in " + problems);
    }

    @Test
    void truncatedShard() throws Exception {
        writeEntry();
        try (RandomAccessFile f = new RandomAccessFile(file("shard-00001.arrow").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        List<String> p = readEverything();
        assertReported(p, name(), "shard-00001.arrow", "truncated");
        assertReported(p, "open: " + name(), "shard-00001.arrow", "truncated");
    }

    @Test
    void flippedByteInShard() throws Exception {
        writeEntry();
        try (RandomAccessFile f = new RandomAccessFile(file("shard-00002.arrow").toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        List<String> p = readEverything();
        assertReported(p, name(), "shard-00002.arrow", "checksum mismatch");
        assertFalse(store.verify(key).ok());
    }

    @Test
    void missingShard() throws Exception {
        writeEntry();
        Files.delete(file("shard-00000.arrow"));
        List<String> p = readEverything();
        assertReported(p, name(), "shard-00000.arrow", "missing");
        assertReported(p, "open: " + name(), "shard-00000.arrow", "missing");
    }

    @Test
    void indexDisagreesWithShards() throws Exception {
        writeEntry();
        try (RowIndex index = RowIndex.open(file(RowIndex.FILE), "test")) {
            index.put(Synthetic.id(7), 1, 3); // id of shard 0 row 7 now points elsewhere
        }
        List<String> p = readEverything();
        assertReported(p, name(), "index", Synthetic.id(7), "shard-00000.arrow");
        assertReported(p, "open: " + name(), "index", Synthetic.id(7));
    }

    @Test
    void indexWithExtraIds() throws Exception {
        writeEntry();
        try (RowIndex index = RowIndex.open(file(RowIndex.FILE), "test")) {
            index.put("stranger", 0, 0);
        }
        assertReported(store.verify(key).problems(), name(), "index", "holds 161 ids");
    }

    @Test
    void manifestThatIsNotJson() throws Exception {
        writeEntry();
        Files.writeString(file("manifest.json"), "{\"format\": 1, \"status\": ");
        List<String> p = readEverything();
        assertReported(p, name(), "manifest.json", "not valid JSON");
        CacheEntryInfo info = store.find(key).orElseThrow();
        assertEquals(EntryStatus.BROKEN, info.status());
        assertTrue(info.problem().contains("manifest.json"));
        // a writer refuses too, and leaves the broken manifest for a human to look at
        BadInputException e = assertThrows(BadInputException.class,
                () -> store.openWriter(Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1), LAYOUT, OPTIONS));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
        assertEquals("{\"format\": 1, \"status\": ", Files.readString(file("manifest.json")));
    }

    @Test
    void secondWriterInThisProcessFailsAtOnce() {
        store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        key = d.key();
        try (EntryWriter first = store.openWriter(d, LAYOUT, OPTIONS)) {
            Synthetic.append(first, LAYOUT, LAYERS, 0, 60, 30, 4);
            long t0 = System.nanoTime();
            BadInputException e = assertThrows(BadInputException.class, () -> store.openWriter(d, LAYOUT, OPTIONS));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "fails at once");
            assertTrue(e.getMessage().contains(name()) && e.getMessage().contains("being written"), e.getMessage());
            assertThrows(BadInputException.class, () -> store.remove(key), "an entry being written cannot be removed");
            Synthetic.append(first, LAYOUT, LAYERS, 60, 100, 30, 4); // the first writer is unharmed
            first.finish(Map.of(), List.of());
        }
        assertTrue(store.verify(key).ok());
    }

    @Test
    void secondProcessIsRefusedAndAKilledWritersLockIsRecovered() throws Exception {
        store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        key = d.key();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-D")) cmd.add(a);
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), WriterChild.class.getName(), root.toString(), "130"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            long pid = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    pid = Long.parseLong(line.substring(6).trim());
                    break;
                }
            }
            assertEquals(child.pid(), pid, "child did not get ready");
            BadInputException e = assertThrows(BadInputException.class, () -> store.openWriter(d, LAYOUT, OPTIONS));
            assertTrue(e.getMessage().contains("pid " + pid) && e.getMessage().contains(name()), e.getMessage());
            assertEquals(pid, store.find(key).orElseThrow().writerPid().orElse(-1));

            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks, the lock file keeps its pid
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child survived SIGKILL");
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(store.find(key).orElseThrow().writerPid().isEmpty(), "a dead writer is not reported as live");
        assertTrue(Files.exists(file("shard-00002.arrow.tmp")), "the killed writer's shard in flight is still there");
        try (EntryWriter w = store.openWriter(d, LAYOUT, OPTIONS)) {
            assertTrue(w.recoveredLockFromPid().isPresent(), "stale lock recovered");
            assertEquals(100, w.committedRows(), "2 committed shards of 50 survive, the 30 rows in flight are gone");
            assertFalse(Files.exists(file("shard-00002.arrow.tmp")));
            Synthetic.append(w, LAYOUT, LAYERS, 100, 160, 37, 4);
            w.finish(Map.of(), List.of());
        }
        assertTrue(store.verify(key).ok(), () -> store.verify(key).problems().toString());
        try (TokenCache c = store.openReader(key)) {
            assertEquals(160, c.size());
            assertEquals(159, c.row(Synthetic.id(159)).orElseThrow());
        }
    }

    @Test
    void indexIsNotRewrittenByReaders() throws Exception {
        writeEntry();
        byte[] before = Files.readAllBytes(file(RowIndex.FILE));
        try (TokenCache c = store.openReader(key)) {
            for (int r = 0; r < c.rows(); r++) {
                assertEquals(r, c.row(c.id(r)).orElseThrow());
            }
        }
        assertTrue(store.verify(key).ok());
        // Chronicle Map takes its segment locks inside the mapped file, so lookups touch the file's mtime; the
        // content (every entry, every lock word released) is byte for byte what the writer left.
        assertArrayEquals(before, Files.readAllBytes(file(RowIndex.FILE)));
    }

    @Test
    void removeDeletesOnlyThatEntry() throws IOException {
        writeEntry();
        CacheKey other = Synthetic.writeEntry(store, Synthetic.description("test", TokenDtype.FLOAT16, LAYERS, 1), LAYOUT, 20, OPTIONS, 4);
        store.remove(key);
        assertTrue(store.find(key).isEmpty());
        assertFalse(Files.exists(store.entryDirectory(key)));
        assertTrue(store.verify(other).ok());
        assertEquals(1, store.list().size());
    }
}
