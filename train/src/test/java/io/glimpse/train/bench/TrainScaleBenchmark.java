package io.glimpse.train.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.ProbeRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/train-scale.sh}: every head at the cache's shape (ViT-B/16 on ImageNet by default) against the machine's
 * limits measured in the same run. Per head: params, forward+backward FLOPs per sample (6 x the forward multiply-adds
 * of docs/heads.md#flops: 2 FLOPs per multiply-add, backward ~2x forward; it overcounts heads whose products mostly
 * take the frozen tokens, whose gradient is never formed, so their ratio can exceed 1), steady-state CPU and wall seconds per 10k
 * rows at each thread count, system-time share and page faults per step, achieved FLOP/s and its ratio to the binding
 * limit, peak memory. Each head runs in its own child JVM ({@link HeadScaleRun}), after two warm-up steps; then all heads in one pass against
 * the sum of their single passes. The binding limit is a roofline with the least traffic a head can have: reading
 * each float32 token once; a head is "memory" bound when that read at the measured bandwidth takes longer than its
 * FLOPs at the best measured matmul rate.
 * Args: --cache ROOT --train KEY --test KEY [--rows N] [--batch B] [--threads 1,2] [--probes a,b] [--classes C] [--all-in-one true]
 * [--fixture FILE] --out FILE.
 */
public final class TrainScaleBenchmark {
    private static final double ROWS_PER_REPORT = 10_000;

    private TrainScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        int rows = Integer.parseInt(a.getOrDefault("--rows", "768"));
        int batch = Integer.parseInt(a.getOrDefault("--batch", "256"));
        String threads = a.getOrDefault("--threads", "1,2");
        List<Integer> threadList = new ArrayList<>();
        for (String t : threads.split(",")) threadList.add(Integer.parseInt(t));
        ProbeRegistry registry = new ProbeRegistry();
        List<String> probes = a.containsKey("--probes") ? List.of(a.get("--probes").split(",")) : registry.names();
        TokenLayout layout;
        int classes;
        CacheStore store = CacheStore.open(Path.of(a.get("--cache")));
        try (TokenCache c = store.openReader(store.resolve(a.get("--train")).key())) {
            layout = c.layout();
            // a pass over fewer rows than classes sees only some labels: the synthetic cache's class count comes as an option
            classes = Integer.parseInt(a.getOrDefault("--classes", String.valueOf(c.numClasses())));
            if (c.size() < rows) throw new IllegalArgumentException("--rows " + rows + ": the train cache has only " + c.size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("tokens", layout.tokens());
        setup.put("dim", layout.dim());
        setup.put("patches", layout.patches());
        setup.put("classes", classes);
        setup.put("rows_per_pass", rows);
        setup.put("batch", batch);
        setup.put("threads", threadList);
        setup.put("measure", "steady state: the steps after the first of a one-epoch pass, after two warm-up steps at the same batch; process CPU (user+system) and wall seconds, scaled to 10k rows");
        setup.put("flops", "forward+backward = 6 x forward multiply-adds (docs/heads.md#flops)");
        setup.put("native_env", nativeEnv());
        setup.put("load_average_start", loadAverage());
        out.put("setup", setup);

        Map<String, Object> limits = EngineLimits.measure(
                EngineLimits.shapes(batch / 16 * layout.patches(), layout.patches(), layout.dim(), classes, batch / 4), threadList,
                Long.parseLong(a.getOrDefault("--bandwidth-bytes", String.valueOf(512L << 20))));
        @SuppressWarnings("unchecked") Map<Integer, Double> rate = (Map<Integer, Double>) limits.remove("_best");
        @SuppressWarnings("unchecked") Map<Integer, Double> bandwidth = (Map<Integer, Double>) limits.remove("_bandwidth");
        out.put("limits", limits);

        List<Map<String, Object>> heads = new ArrayList<>();
        Map<Integer, Double> sumCpu = new LinkedHashMap<>();
        double bytesPerSample = 4.0 * layout.rowValues();
        for (String probe : probes) {
            List<Map<String, Object>> runs = child(a, rows, batch, threads, probe);
            Map<String, Object> h = new LinkedHashMap<>();
            @SuppressWarnings("unchecked") Map<String, Object> info = ((List<Map<String, Object>>) runs.get(0).get("heads")).get(0);
            long macs = ((Number) info.get("forward_macs_per_sample")).longValue();
            double flops = 6.0 * macs;
            h.put("probe", probe);
            h.put("options", info.get("options"));
            h.put("params", info.get("params"));
            h.put("forward_macs_per_sample", macs);
            h.put("train_flops_per_sample", (long) flops);
            for (Map<String, Object> r : runs) {
                int t = ((Number) r.get("threads")).intValue();
                double n = ((Number) r.get("steady_rows")).doubleValue();
                double cpu = ((Number) r.get("cpu_seconds")).doubleValue();
                double wall = ((Number) r.get("wall_seconds")).doubleValue();
                double sys = ((Number) r.get("system_seconds")).doubleValue();
                // the time an ideal run takes at t threads: FLOPs at the matmul rate or the token read at the bandwidth
                double flopTime = flops / rate.get(t);
                double readTime = bytesPerSample / bandwidth.get(t);
                boolean memory = readTime > flopTime;
                double limitTime = Math.max(flopTime, readTime);
                String k = "t" + t + "_";
                h.put(k + "cpu_s_per_10k", round(cpu / n * ROWS_PER_REPORT));
                h.put(k + "wall_s_per_10k", round(wall / n * ROWS_PER_REPORT));
                h.put(k + "system_share", round(sys / Math.max(cpu, 1e-9)));
                h.put(k + "minor_faults_per_step", Math.round(((Number) r.get("minor_faults_per_step")).doubleValue()));
                // one thread: CPU seconds (what an idle core would take); more: wall seconds against the t-thread limit
                double seconds = (t == 1 ? cpu : wall) / n;
                h.put(k + "achieved_gflops", round(flops / seconds / 1e9));
                h.put(k + "bound", memory ? "memory" : "matmul");
                h.put(k + "ratio_to_limit", round(limitTime / seconds));
                // how many float32 token tensors [T, D] the measured bandwidth moves in the time a sample takes: far
                // above 1 for a head whose elementwise work on token-sized activations, not its FLOPs, costs
                h.put(k + "token_passes", round(seconds * bandwidth.get(t) / bytesPerSample));
                h.put(k + "peak_rss_delta_mib", Math.round(((Number) r.get("peak_rss_delta_bytes")).doubleValue() / (1 << 20)));
                sumCpu.merge(t, cpu / n * ROWS_PER_REPORT, Double::sum);
            }
            if (runs.size() > 1) {
                double w1 = ((Number) runs.get(0).get("wall_seconds")).doubleValue();
                double w2 = ((Number) runs.get(1).get("wall_seconds")).doubleValue();
                h.put("speedup_t" + runs.get(1).get("threads") + "_over_t" + runs.get(0).get("threads") + "_wall", round(w1 / w2));
            }
            heads.add(h);
            System.out.println("train-scale: " + h);
        }
        out.put("heads", heads);

        if (Boolean.parseBoolean(a.getOrDefault("--all-in-one", "true")) && probes.size() > 1) {
            int t = threadList.get(0);
            List<Map<String, Object>> r = child(a, rows, batch, String.valueOf(t), String.join(",", probes));
            double n = ((Number) r.get(0).get("steady_rows")).doubleValue();
            double together = ((Number) r.get(0).get("cpu_seconds")).doubleValue() / n * ROWS_PER_REPORT;
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("heads", probes.size());
            all.put("threads", t);
            all.put("one_pass_cpu_s_per_10k", round(together));
            all.put("sum_of_single_passes_cpu_s_per_10k", round(sumCpu.get(t)));
            all.put("ratio", round(together / sumCpu.get(t)));
            all.put("peak_rss_delta_mib", Math.round(((Number) r.get(0).get("peak_rss_delta_bytes")).doubleValue() / (1 << 20)));
            out.put("all_heads_one_pass", all);
            System.out.println("train-scale: all heads in one pass " + all);
        }
        if (a.containsKey("--fixture") && Files.exists(Path.of(a.get("--fixture")))) {
            out.put("fixture_shape", new ObjectMapper().readValue(Path.of(a.get("--fixture")).toFile(), new TypeReference<Map<String, Object>>() { }));
        }
        setup.put("load_average_end", loadAverage());
        Path json = Path.of(a.getOrDefault("--out", "bench/results/train-scale.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
    }

    /** Runs {@link HeadScaleRun} in a fresh JVM with this one's flags and class path; its RESULT lines. */
    private static List<Map<String, Object>> child(Map<String, String> a, int rows, int batch, String threads, String probes)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeadScaleRun.class.getName(),
                "--cache", a.get("--cache"), "--train", a.get("--train"), "--test", a.get("--test"),
                "--rows", String.valueOf(rows), "--batch", String.valueOf(batch), "--threads", threads, "--probes", probes,
                "--classes", a.getOrDefault("--classes", "0")));
        if (a.containsKey("--layer")) cmd.addAll(List.of("--layer", a.get("--layer")));
        if (a.containsKey("--profile-dir") && !probes.contains(",")) {
            cmd.addAll(List.of("--profile", Path.of(a.get("--profile-dir")).resolve(probes + ".trace.json").toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Map<String, Object>> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) results.add(json.readValue(line.substring(7), new TypeReference<Map<String, Object>>() { }));
                else System.err.println("  [" + probes + "] " + line);
            }
        }
        if (p.waitFor() != 0 || results.isEmpty()) throw new IllegalStateException("benchmark child for " + probes + " failed (exit " + p.exitValue() + ")");
        return results;
    }

    private static Map<String, String> nativeEnv() {
        Map<String, String> m = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("MALLOC_") || k.startsWith("GLIBC_TUNABLES") || k.startsWith("OMP_")) m.put(k, v);
        });
        return m;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
