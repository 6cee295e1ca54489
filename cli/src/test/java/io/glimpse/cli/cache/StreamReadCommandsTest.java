package io.glimpse.cli.cache;

import io.glimpse.cli.Glimpse;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.RepoPaths;
import io.glimpse.train.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --read}: training reads the same batches in stream and mapped mode (same head, byte for byte), scans report
 * the mode they used, a bad mode is refused, and a streaming scan SIGKILLed mid-epoch leaves the entry as it was.
 */
class StreamReadCommandsTest {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    @TempDir
    Path root;

    private String cacheDir() {
        return root.resolve("cache").toString();
    }

    private String synth(String split, int rows) {
        CliRun run = CliRun.of("cache", "synth", "--quiet", "--rows", Integer.toString(rows), "--tokens", "17", "--dim", "32",
                "--classes", "5", "--seed", "3", "--split", split, "--cache-dir", cacheDir()).assertOk();
        Matcher m = KEY.matcher(run.out());
        assertTrue(m.find(), run.all());
        return m.group();
    }

    private CliRun train(String train, String test, String read, String runs) {
        return CliRun.of("train", "--cache", cacheDir(), "--runs", root.resolve(runs).toString(), "--quiet", "--train-cache", train,
                "--test-cache", test, "--probe", "efficient", "--queries", "4", "--epochs", "3", "--warmup", "1", "--batch", "32",
                "--blr", "5", "--seed", "11", "--read", read);
    }

    @Test
    void trainingInStreamModeEqualsMappedModeByteForByte() throws Exception {
        String train = synth("train", 300);
        String test = synth("test", 100);
        CliRun mapped = train(train, test, "mapped", "runs-mapped").assertOk();
        CliRun stream = train(train, test, "stream", "runs-stream").assertOk();
        assertTrue(stream.out().contains("train: cache entry " + train.substring(0, 12)) && stream.out().contains("stream reads"), stream.out());
        assertFalse(mapped.out().contains("stream reads"), mapped.out());
        Path a = onlyRun(root.resolve("runs-mapped"));
        Path b = onlyRun(root.resolve("runs-stream"));
        for (String state : List.of(RunDirectory.BEST_STATE, RunDirectory.LAST_STATE)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(state)), Files.readAllBytes(b.resolve(state)), state);
        }
        assertEquals(top1(mapped), top1(stream));

        train(train, test, "fast", "runs-bad").assertRefused("--read", "'fast'", "auto, mapped, stream");
    }

    private static String top1(CliRun run) {
        Matcher m = Pattern.compile("top1 best ([0-9.]+)").matcher(run.out());
        assertTrue(m.find(), run.out());
        return m.group(1);
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> found = s.filter(d -> Files.isRegularFile(d.resolve(RunDirectory.RESULT))).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    @Test
    void scansReportTheirModeAndRate() {
        String key = synth("train", 300);
        for (String mode : List.of("mapped", "stream")) {
            CliRun scan = CliRun.of("cache", "scan", key, "--read", mode, "--batch", "64", "--epochs", "2", "--json", "--cache-dir", cacheDir()).assertOk();
            assertTrue(scan.out().contains("\"mode\": \"" + mode + "\"") && scan.out().contains("\"rows\": 600"), scan.out());
        }
        CliRun auto = CliRun.of("cache", "scan", key, "--cache-dir", cacheDir()).assertOk();
        assertTrue(auto.out().contains("mapped reads") && auto.out().contains("scan: 300 rows"), auto.out());
        CliRun.of("cache", "scan", key, "--read", "mmap", "--cache-dir", cacheDir()).assertRefused("--read: 'mmap'");
    }

    @Test
    void aStreamingEpochKilledMidwayLeavesTheEntryUntouched() throws Exception {
        String key = synth("train", 3000);
        Path entry = root.resolve("cache").resolve(key);
        Map<String, String> before = digests(entry);
        long entryBytes = Files.size(entry.resolve("shard-00000.arrow"));

        Process child = child(List.of("cache", "scan", key, "--read", "stream", "--batch", "16", "--epochs", "100000", "--cache-dir", cacheDir()),
                root.resolve("child.log"));
        long pid = child.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // killed once it has read more than the entry: in the middle of some epoch, reads in flight
        while (child.isAlive() && readBytes(pid) < 2 * entryBytes && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(child.isAlive(), "the scan ended before it was killed: " + Files.readString(root.resolve("child.log")));
        assertTrue(readBytes(pid) >= 2 * entryBytes || readBytes(pid) < 0, "the scan read " + readBytes(pid) + " bytes in 60 s");
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));

        assertEquals(before, digests(entry), "every file of the entry, byte for byte, and no file added or removed");
        CliRun verify = CliRun.of("cache", "verify", key, "--cache-dir", cacheDir()).assertOk();
        assertTrue(verify.out().startsWith("ok"), verify.out());
    }

    /** Bytes the process has read through read system calls (/proc/PID/io rchar), or -1 without /proc. */
    private static long readBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("rchar:")) return Long.parseLong(line.substring(6).trim());
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or the process ended
        }
        return -1;
    }

    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isDirectory(f)) continue;
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                out.put(f.getFileName().toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))) + " " + Files.getLastModifiedTime(f));
            }
        }
        return out;
    }

    private static Process child(List<String> args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "@" + RepoPaths.root().resolve("conf/jvm.options"), "-Xmx512m"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Glimpse.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
