package io.glimpse.cache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.shard.ShardSchema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The writer benchmark behind {@code bench/write.sh}: writes ROWS rows of float32 tokens [T, D] (ViT-B: 197 × 768)
 * through the cache writer as float16, in appends of {@code APPEND} rows as an extraction hands them over, timed from
 * opening the writer to {@code finish} returning (every shard fsynced, renamed, indexed, the manifest complete). Right
 * before and right after, {@code dd if=/dev/zero bs=16M conv=fdatasync} writes the same number of bytes in the same
 * folder; the writer is compared with the mean of the two (the page cache and the disk's state drift, so neither
 * side gets the other's leftovers only); an untimed unsynced dd of the same size before them cycles that much memory
 * through the page cache. Every output is deleted before the next step. An untimed WARMUP-row write
 * first pays the JVM's one-time costs (JIT, Chronicle Map's code generation), as any long extraction has by its
 * second shard. Usage: {@code WriteBench run DIR OUT.json LABEL ROWS T D APPEND WARMUP} (one measurement),
 * {@code WriteBench combine OUT.json PART.json...} (one file from several).
 */
public final class WriteBench {
    private static final String LAYER = "last_hidden_state";
    private static final long DD_BLOCK = 16L << 20;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("combine")) {
            combine(Path.of(args[1]), args);
            return;
        }
        Path dir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        String label = args[3];
        int rows = Integer.parseInt(args[4]);
        int t = Integer.parseInt(args[5]);
        int d = Integer.parseInt(args[6]);
        int append = Integer.parseInt(args[7]);
        int warmUpRows = Integer.parseInt(args[8]);
        Files.createDirectories(dir);
        // JIT compilation and Chronicle Map's one-time code generation are per-JVM costs, not per byte
        Map<String, Object> warmUp = warmUpRows > 0 ? writeOnce(dir.resolve("warm-up"), warmUpRows, t, d, append) : null;

        Map<String, Object> run = new LinkedHashMap<>();
        run.put("writer", label);
        run.put("measured_at", Instant.now().toString());
        run.put("load_average_before", loadAverage());
        long expectedBytes = (long) rows * t * d * 2;
        dd(dir.resolve("dd.bin"), expectedBytes, false);
        Map<String, Object> ddBefore = dd(dir.resolve("dd.bin"), expectedBytes, true);
        Map<String, Object> w = writeOnce(dir.resolve("cache"), rows, t, d, append);
        long bytes = (long) w.get("bytes");
        Map<String, Object> ddAfter = dd(dir.resolve("dd.bin"), bytes, true);
        Map<String, Object> ddDirect = ddDirect(dir.resolve("dd.bin"), bytes);
        run.put("load_average_after", loadAverage());
        if (warmUp != null) run.put("untimed_warm_up_write", warmUp);
        run.put("dd_before", ddBefore);
        run.put("writer_result", w);
        run.put("dd_after", ddAfter);
        run.put("dd_direct_for_reference", ddDirect);
        double writerMb = (double) w.get("mb_per_s");
        double ddMb = ((double) ddBefore.get("mb_per_s") + (double) ddAfter.get("mb_per_s")) / 2;
        run.put("bytes", bytes);
        run.put("row_shape", w.get("row_shape"));
        run.put("threads", w.get("threads"));
        run.put("writer_mb_per_s", writerMb);
        run.put("dd_mb_per_s", round(ddMb));
        run.put("ratio_writer_to_dd", round(writerMb / ddMb));
        run.put("ratio_writer_to_dd_before", round(writerMb / (double) ddBefore.get("mb_per_s")));
        run.put("ratio_writer_to_dd_after", round(writerMb / (double) ddAfter.get("mb_per_s")));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), run);
        System.out.printf("%s: writer %.1f MB/s, dd %.1f MB/s, ratio %.3f (load %s -> %s)%n", label, writerMb, ddMb, writerMb / ddMb,
                run.get("load_average_before"), run.get("load_average_after"));
    }

    private static Map<String, Object> writeOnce(Path root, int rows, int t, int d, int append) throws IOException {
        TokenLayout layout = new TokenLayout(t, d, 1, 0, 0);
        CacheDescription desc = new CacheDescription("bench-write", "bf".repeat(32), List.of(LAYER), new TreeMap<>(), "synthetic", "write-" + rows,
                "train", TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        int tv = layout.rowValues();
        // Two appends' worth of Gaussian float32 tokens, used in turn: making data must not be what is timed.
        FloatBuffer[] input = new FloatBuffer[2];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int k = 0; k < input.length; k++) {
            input[k] = ByteBuffer.allocateDirect(Math.multiplyExact(append * tv, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < append * tv; i++) {
                input[k].put(i, (float) rnd.nextGaussian());
            }
        }
        String[] ids = new String[append];
        int[] labels = new int[append];
        CacheStore store = CacheStore.open(root);
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        Manifest m;
        try (EntryWriter w = store.openWriter(desc, layout, WriterOptions.defaults().withExpectedRows(rows))) {
            for (int from = 0, k = 0; from < rows; from += append, k++) {
                int n = Math.min(append, rows - from);
                for (int r = 0; r < n; r++) {
                    ids[r] = "train/" + (from + r);
                    labels[r] = (from + r) % 1000;
                }
                w.append(ids, labels, Map.of(LAYER, input[k % 2]), n);
            }
            m = w.finish(Map.of(), List.of());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rows", rows);
        r.put("row_shape", List.of(t, d));
        r.put("input", "float32");
        r.put("stored_dtype", "float16");
        r.put("append_rows", append);
        r.put("threads", writerThreads());
        r.put("direct_io", directIo(root));
        r.put("shards", m.shards().size());
        r.put("bytes", m.shardBytes());
        r.put("token_bytes", (long) rows * tv * 2);
        r.put("seconds", round(seconds));
        r.put("mb_per_s", round(m.shardBytes() / seconds / 1e6));
        r.put("process_cpu_seconds", round(cpuSeconds));
        deleteTree(root);
        return r;
    }

    /** Whether the writer writes shards in {@code dir} with direct IO (writers that cannot say: false). */
    private static boolean directIo(Path dir) {
        Path probe = dir.resolve("probe.arrow.tmp");
        try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
            ShardFileWriter w = new ShardFileWriter(probe, new ShardSchema(new TokenLayout(1, 1, 1, 0, 0), TokenDtype.FLOAT16, List.of("x")), 1, Map.of(), allocator);
            try {
                return (boolean) ShardFileWriter.class.getMethod("directIo").invoke(w);
            } catch (ReflectiveOperationException e) {
                return false;
            } finally {
                w.abort();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** For reference only (the target compares with the page-cache dd): the same bytes with O_DIRECT. */
    private static Map<String, Object> ddDirect(Path file, long bytes) throws IOException, InterruptedException {
        long count = Math.max(1, Math.round((double) bytes / DD_BLOCK));
        List<String> cmd = List.of("dd", "if=/dev/zero", "of=" + file, "bs=16M", "count=" + count, "oflag=direct", "conv=fdatasync");
        return runDd(cmd, file);
    }

    /** CPU time of this JVM, all threads, user and system: what the write cost besides waiting for the disk. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The writer's narrowing threads: WriterOptions.defaultThreads() where the writer has them, else 1 (single-threaded). */
    private static int writerThreads() {
        try {
            return (int) WriterOptions.class.getMethod("defaultThreads").invoke(null);
        } catch (ReflectiveOperationException e) {
            return 1;
        }
    }

    /**
     * {@code dd} of about {@code bytes} zeros, then the file is deleted. Unsynced, it only cycles that much memory
     * through the page cache: on a VM whose free memory goes cold (given back to the host), the first writer after a
     * pause pays for faulting it in, whichever it is, so an untimed pass first gives both sides warm pages.
     */
    private static Map<String, Object> dd(Path file, long bytes, boolean sync) throws IOException, InterruptedException {
        long count = Math.max(1, Math.round((double) bytes / DD_BLOCK));
        List<String> cmd = new java.util.ArrayList<>(List.of("dd", "if=/dev/zero", "of=" + file, "bs=16M", "count=" + count));
        if (sync) cmd.add("conv=fdatasync");
        return runDd(cmd, file);
    }

    private static Map<String, Object> runDd(List<String> cmd, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("dd failed: " + output);
        Files.deleteIfExists(file);
        // GNU dd: "N bytes (...) copied, S s, R MB/s"
        Matcher mt = Pattern.compile("(\\d+) bytes .*copied, ([0-9.eE+-]+) s").matcher(output);
        if (!mt.find()) throw new IOException("cannot read dd's timing from: " + output);
        long ddBytes = Long.parseLong(mt.group(1));
        double seconds = Double.parseDouble(mt.group(2));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", String.join(" ", cmd).replace(file.toString(), "FILE"));
        r.put("bytes", ddBytes);
        r.put("seconds", round(seconds));
        r.put("mb_per_s", round(ddBytes / seconds / 1e6));
        return r;
    }

    private static void combine(Path out, String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", "glimpse cache writer (float32 in, float16 shards, fsync'd and committed) vs dd conv=fdatasync of the same bytes on the same filesystem");
        ArrayNode runs = root.putArray("runs");
        Map<String, Map<String, List<Double>>> ratios = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            JsonNode run = json.readTree(Path.of(args[i]).toFile());
            runs.add(run);
            Map<String, List<Double>> byDd = ratios.computeIfAbsent(run.get("writer").asText(), k -> new LinkedHashMap<>());
            for (String r : List.of("ratio_writer_to_dd", "ratio_writer_to_dd_before", "ratio_writer_to_dd_after")) {
                byDd.computeIfAbsent(r, k -> new java.util.ArrayList<>()).add(run.get(r).asDouble());
            }
        }
        ObjectNode machine = root.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("note", "shared machine: other processes may run concurrently, see each run's load averages");
        ObjectNode summary = root.putObject("ratios_per_writer");
        ratios.forEach((label, byDd) -> {
            ObjectNode w = summary.putObject(label);
            byDd.forEach((r, values) -> {
                ArrayNode a = w.putArray(r);
                values.forEach(a::add);
            });
        });
        root.put("ratio", "writer MB/s over the mean of the dd runs right before and right after it (each also given alone)");
        root.put("target", 0.9);
        json.writeValue(out.toFile(), root);
        System.out.println(json.writeValueAsString(root));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** 1/5/15-minute load averages: how much else competed for the CPUs and the disk during the run. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
