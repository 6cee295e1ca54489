package io.glimpse.train.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.train.config.HeadPlanner;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.loop.TrainProgress;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/train.sh}: training cost per head, the multi-head pass against separate passes, and EP pool-first
 * against project-all-tokens, on a cached split. Costs are process CPU seconds of the training loop (the machine
 * is shared, so wall time mostly measures the neighbours; PyTorch runs one thread, so CPU time is what an idle
 * core would take). All passes run in one JVM, so JVM/engine start-up is excluded from both sides of the ratio.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        CacheStore store = CacheStore.open(Path.of(a.get("--cache")));
        int rows = Integer.parseInt(a.getOrDefault("--rows", "10240"));
        String layer = a.getOrDefault("--layer", "hidden_state_4");
        Path runs = Files.createTempDirectory("glimpse-train-bench");
        ProbeRegistry registry = new ProbeRegistry();
        ProbeTrainer trainer = new ProbeTrainer((s, l, c, m, seed) -> registry.create(s.probe(), s.options(), l, c, m, seed),
                TrainProgress.SILENT);
        Map<String, Object> out = new LinkedHashMap<>();
        try (TokenCache trainCache = store.openReader(store.resolve(a.get("--train")).key());
             TokenCache testCache = store.openReader(store.resolve(a.get("--test")).key())) {
            TokenSource train = trainCache.firstN(rows);
            TokenSource test = testCache.firstN(1024);
            int fullRows = trainCache.size();
            Bench bench = new Bench(trainer, train, test, layer, runs, registry);
            // warm-up (JIT, engine, page cache): not measured
            bench.pass(List.of("linear", "efficient"), List.of(0.1));
            // per head: one epoch of `rows` rows, alone in its pass
            List<Map<String, Object>> heads = new ArrayList<>();
            List<String> probes = a.containsKey("--probes") ? List.of(a.get("--probes").split(",")) : registry.names();
            // the same pass repeated: some heads' cost varies several-fold between passes of one JVM (README), so
            // report the median and the range rather than one draw
            int repeats = Integer.parseInt(a.getOrDefault("--repeats", "3"));
            for (String probe : probes) {
                RunResult r = null;
                double[] cpu = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    r = bench.pass(List.of(probe), List.of(0.1)).get(0);
                    cpu[i] = r.trainCpuSeconds() * fullRows / r.trainRows();
                }
                Arrays.sort(cpu);
                double median = cpu[repeats / 2];
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("probe", probe);
                h.put("options", r.options());
                h.put("params", r.params());
                h.put("flops_per_sample", r.flopsPerSample());
                h.put("cpu_seconds_per_epoch_full", round(median));
                h.put("cpu_seconds_per_epoch_full_min_max", List.of(round(cpu[0]), round(cpu[repeats - 1])));
                h.put("samples_per_cpu_second", round(fullRows / Math.max(1e-9, median)));
                heads.add(h);
                System.out.printf(Locale.ROOT, "train-bench: %-14s %,9d params %,12d FLOPs/sample %8.1f CPU s/epoch (full; median of %d, %.1f-%.1f)%n",
                        probe, r.params(), r.flopsPerSample(), median, repeats, cpu[0], cpu[repeats - 1]);
            }
            out.put("heads", heads);
            // 8 heads in one pass vs 8 separate passes: the DINOv2 linear-head sweep over base learning rates
            List<Double> blrs = List.of(0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2);
            double together = bench.pass(List.of("linear"), blrs).get(0).trainCpuSeconds();
            double separate = 0;
            for (double blr : blrs) separate += bench.pass(List.of("linear"), List.of(blr)).get(0).trainCpuSeconds();
            out.put("multi_head", Map.of("heads", "linear x 8 base lrs " + blrs, "one_pass_cpu_seconds", round(together),
                    "separate_passes_cpu_seconds", round(separate), "ratio", round(together / separate)));
            System.out.printf(Locale.ROOT, "train-bench: 8 linear heads: one pass %.1f CPU s, 8 passes %.1f CPU s, ratio %.2f%n",
                    together, separate, together / separate);
            // EP pool-first vs the study's project-all-tokens order (same function, same gradients)
            double poolFirst = bench.pass(List.of("efficient"), List.of(0.1)).get(0).trainCpuSeconds();
            double projectAll = bench.pass(List.of(ProbeRegistry.EFFICIENT_PROJECT_ALL), List.of(0.1)).get(0).trainCpuSeconds();
            out.put("ep_pool_first", Map.of("queries", 32, "pool_first_cpu_seconds", round(poolFirst),
                    "project_all_cpu_seconds", round(projectAll), "speedup", round(projectAll / poolFirst)));
            System.out.printf(Locale.ROOT, "train-bench: EP32 pool-first %.1f CPU s, project-all %.1f CPU s, speedup %.2fx%n",
                    poolFirst, projectAll, projectAll / poolFirst);
            out.put("setup", Map.of("rows_per_epoch", rows, "full_rows", fullRows, "layer", layer, "batch", 1024,
                    "torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    "train_cache", trainCache.key().hex(), "repeats", repeats,
                    "measure", "process CPU seconds of the training loop, 1 epoch; per head the median of the repeats"));
        }
        Path json = Path.of(a.getOrDefault("--out", "bench/results/train.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
    }

    private record Bench(ProbeTrainer trainer, TokenSource train, TokenSource test, String layer, Path runs, ProbeRegistry registry) {
        List<RunResult> pass(List<String> probes, List<Double> blrs) {
            List<HeadSpec> heads = HeadPlanner.expand(probes, List.of(layer), blrs, List.of(0.0), List.of(32), 1, 0, registry);
            TrainRequest req = new TrainRequest(new Recipe(OptimizerKind.LARS, 1024, 1, 0, 0), heads, 0, 0, 0, 0, runs,
                    new RunProvenance("bench", "bench", "train", "test", 0.0));
            return trainer.train(req, train, test);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
