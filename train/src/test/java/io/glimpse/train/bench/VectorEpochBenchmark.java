package io.glimpse.train.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.data.VectorPass;
import io.glimpse.train.loop.HeadFactory;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.loop.TrainProgress;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RunCaches;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One linear-probe epoch (LP-CLS, train + test pass) read from the full tokens vs from the entry's CLS vectors, same
 * cache, same run, alternating, median of {@code --repeats}; plus the one-off cost of building the sidecar and the
 * bytes each epoch reads. Args: --cache ROOT --train KEY --test KEY [--repeats R] [--batch B] --out FILE.
 */
public final class VectorEpochBenchmark {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        CacheStore store = CacheStore.open(Path.of(a.get("--cache")));
        int repeats = Integer.parseInt(a.getOrDefault("--repeats", "3"));
        int batch = Integer.parseInt(a.getOrDefault("--batch", "256"));
        ProbeRegistry registry = new ProbeRegistry();
        HeadFactory factory = (s, layout, classes, manager, seed) -> registry.create(s.probe(), s.options(), layout, classes, manager, seed);
        Path runs = Files.createTempDirectory("glimpse-vector-bench");
        Map<String, Object> out = new LinkedHashMap<>();
        try (RunCaches caches = RunCaches.open(store, a.get("--train"), "--train", a.get("--test"), "--test")) {
            TokenCache train = caches.train();
            List<HeadSpec> heads = List.of(new HeadSpec("linear", ProbeOptions.DEFAULTS, train.layers().get(0), 0.1));
            long b0 = System.nanoTime();
            EntryVectors.rebuild(train, VectorBuildProgress.SILENT, "benchmark");
            EntryVectors.rebuild(caches.test(), VectorBuildProgress.SILENT, "benchmark");
            double buildSeconds = (System.nanoTime() - b0) / 1e9;
            VectorPass pass = VectorPass.choose(heads, registry, train, caches.test(), VectorBuildProgress.SILENT);
            if (pass.kind().orElse(null) != VectorKind.CLS) throw new IllegalStateException("linear should read the CLS vectors");
            // several epochs per measurement: the JDK counts process CPU time in 10 ms ticks, a CLS epoch takes a few of them
            int epochs = Integer.parseInt(a.getOrDefault("--epochs", "10"));
            Recipe recipe = new Recipe(OptimizerKind.LARS, batch, epochs, 0, 0);
            ProbeTrainer trainer = new ProbeTrainer(factory, TrainProgress.SILENT);
            List<Double> tokenCpu = new ArrayList<>();
            List<Double> vectorCpu = new ArrayList<>();
            List<Double> tokenWall = new ArrayList<>();
            List<Double> vectorWall = new ArrayList<>();
            double[] top1 = new double[2];
            for (int r = 0; r < repeats; r++) {
                RunResult full = epoch(trainer, recipe, heads, runs, caches.provenance(), train, caches.test());
                RunResult vec = epoch(trainer, recipe, heads, runs, caches.provenance(), pass.train(), pass.test());
                tokenCpu.add(full.trainCpuSeconds() / epochs);
                tokenWall.add(full.trainSeconds() / epochs);
                vectorCpu.add(vec.trainCpuSeconds() / epochs);
                vectorWall.add(vec.trainSeconds() / epochs);
                top1[0] = full.top1Last();
                top1[1] = vec.top1Last();
            }
            long rows = train.rows();
            out.put("what", "one LP-CLS training epoch (batch " + batch + ", LARS, 1 head; mean of " + epochs + " per measurement) from full tokens vs from the CLS vector sidecar, same cache, same run");
            out.put("epochs_per_measurement", epochs);
            out.put("rows", rows);
            out.put("tokens", train.layout().tokens());
            out.put("dim", train.layout().dim());
            out.put("dtype", train.dtype().label());
            out.put("token_bytes_per_epoch", rows * train.layout().rowValues() * train.dtype().bytes());
            out.put("vector_bytes_per_epoch", rows * train.layout().dim() * (long) Float.BYTES);
            out.put("sidecar_build_seconds_train_and_test", round(buildSeconds));
            out.put("epoch_cpu_seconds_tokens", round4(median(tokenCpu)));
            out.put("epoch_cpu_seconds_vectors", round4(median(vectorCpu)));
            out.put("epoch_wall_seconds_tokens", round(median(tokenWall)));
            out.put("epoch_wall_seconds_vectors", round(median(vectorWall)));
            out.put("cpu_speedup", round(median(tokenCpu) / median(vectorCpu)));
            out.put("top1_tokens", top1[0]);
            out.put("top1_vectors", top1[1]);
            out.put("repeats", repeats);
            if (a.containsKey("--export")) {
                export(Path.of(a.get("--export")), train, "train");
                export(Path.of(a.get("--export")), caches.test(), "test");
            }
            out.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.put("processors", Runtime.getRuntime().availableProcessors());
        }
        Path json = Path.of(a.get("--out"));
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
        System.out.println(Files.readString(json));
    }

    private static RunResult epoch(ProbeTrainer trainer, Recipe recipe, List<HeadSpec> heads, Path runs, RunProvenance prov,
                                   TokenSource train, TokenSource test) {
        return trainer.train(new TrainRequest(recipe, heads, 0, 0, 0, 0, runs, prov), train, test).get(0);
    }

    /**
     * Writes the split's CLS vectors of its first layer ({@code NAME.x.f32}: rows x D float32, little-endian) and
     * labels ({@code NAME.y.i32}) for an outside reference (bench/lp_torch.py) to train the same head on in memory.
     */
    private static void export(Path dir, TokenCache cache, String name) throws java.io.IOException {
        Files.createDirectories(dir);
        MappedVectors v = EntryVectors.ensure(cache, VectorBuildProgress.SILENT);
        int rows = v.rows(), dim = v.dim();
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) all[i] = i;
        java.nio.ByteBuffer x = java.nio.ByteBuffer.allocateDirect(rows * dim * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v.gather(all, rows, 0, VectorKind.CLS, x.asFloatBuffer());
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve(name + ".x.f32"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            while (x.hasRemaining()) ch.write(x);
        }
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(rows * Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        y.asIntBuffer().put(cache.labels());
        Files.write(dir.resolve(name + ".y.i32"), y.array());
        Files.writeString(dir.resolve(name + ".json"), "{\"rows\": " + rows + ", \"dim\": " + dim + "}\n");
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
