package io.glimpse.train.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.train.config.HeadPlanner;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RunProvenance;
import io.glimpse.train.run.RunResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One child process of {@link TrainScaleBenchmark}: the given heads trained together in one pass, once per thread
 * count, after two warm-up steps at the full batch, in a fresh JVM so the peak memory is the heads' own. Prints one {@code RESULT {json}} line per thread
 * count. Args: --cache ROOT --train KEY --test KEY --rows N --batch B --threads 1,2 --probes a,b [--classes C] [--layer L]
 * [--profile FILE] (C: the class count when the rows do not reach every label; 0 = from the cache; FILE: a further
 * one-thread pass is traced by PyTorch's profiler into FILE, a Chrome trace).
 */
public final class HeadScaleRun {
    private HeadScaleRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        CacheStore store = CacheStore.open(Path.of(a.get("--cache")));
        int rows = Integer.parseInt(a.get("--rows"));
        int batch = Integer.parseInt(a.get("--batch"));
        List<String> probes = List.of(a.get("--probes").split(","));
        int classes = Integer.parseInt(a.getOrDefault("--classes", "0"));
        ProbeRegistry registry = new ProbeRegistry();
        StepCounters steps = new StepCounters();
        ProbeTrainer trainer = new ProbeTrainer((s, l, c, m, seed) -> registry.create(s.probe(), s.options(), l, c, m, seed), steps);
        Path runs = Files.createTempDirectory("glimpse-train-scale");
        ObjectMapper json = new ObjectMapper();
        try (TokenCache trainCache = store.openReader(store.resolve(a.get("--train")).key());
             TokenCache testCache = store.openReader(store.resolve(a.get("--test")).key())) {
            String layer = a.getOrDefault("--layer", trainCache.layers().get(0));
            TokenSource test = testCache.firstN(Math.min(testCache.size(), 64));
            // warm-up at a small batch: JIT and the engine's kernels, not the allocator's memory at full size
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(1);
            pass(trainer, trainCache.firstN(32), test, layer, probes, 16, classes, runs, registry);
            TokenSource train = trainCache.firstN(rows);
            // two steps at the full batch before measuring: the allocator's heap grows to the steps' size here (it
            // still grew in the second step of a pass), so the measured passes see the steady state; the peak is
            // taken from before it
            ProcessCounters.resetPeak();
            ProcessCounters before = ProcessCounters.now();
            JniUtils.setNumThreads(Integer.parseInt(a.get("--threads").split(",")[0]));
            pass(trainer, trainCache.firstN(Math.min(2 * batch, trainCache.size())), test, layer, probes, batch, classes, runs, registry);
            for (String t : a.get("--threads").split(",")) {
                int threads = Integer.parseInt(t);
                JniUtils.setNumThreads(threads);
                List<RunResult> results = pass(trainer, train, test, layer, probes, batch, classes, runs, registry);
                ProcessCounters after = ProcessCounters.now();
                // a pass's first step also allocates the pass's own buffers (the float32 staging buffer of B*T*D
                // values, zeroed by Java): a one-off per pass, left out like the warm-up
                if (steps.steps() < 2) throw new IllegalStateException("--rows " + rows + " at --batch " + batch + " is one step; need at least 2");
                StepCounters.Mark s0 = steps.from(1);
                StepCounters.Mark s1 = steps.last();
                int steady = steps.steps() - 1;
                long steadyRows = (long) steady * batch;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("probes", probes);
                r.put("threads", threads);
                r.put("steady_steps", steady);
                r.put("steady_rows", steadyRows);
                r.put("cpu_seconds", s1.counters().cpuSeconds() - s0.counters().cpuSeconds());
                r.put("system_seconds", s1.counters().systemSeconds() - s0.counters().systemSeconds());
                r.put("wall_seconds", (s1.nanos() - s0.nanos()) / 1e9);
                r.put("minor_faults_per_step", (s1.counters().minorFaults() - s0.counters().minorFaults()) / (double) steady);
                r.put("peak_rss_delta_bytes", after.peakRssBytes() - before.rssBytes());
                List<Map<String, Object>> heads = new ArrayList<>();
                for (RunResult h : results) {
                    heads.add(Map.of("probe", h.probe(), "options", h.options(), "params", h.params(),
                            "forward_macs_per_sample", h.flopsPerSample()));
                }
                r.put("heads", heads);
                System.out.println("RESULT " + json.writeValueAsString(r));
            }
            if (a.containsKey("--profile")) {
                // one more pass at one thread under PyTorch's profiler: where each head's time goes, op by op
                JniUtils.setNumThreads(1);
                JniUtils.startProfile(false, true, false);
                pass(trainer, train, test, layer, probes, batch, classes, runs, registry);
                JniUtils.stopProfile(a.get("--profile"));
            }
        } finally {
            // the passes' run folders (checkpoints, result.json) are not part of the measurement
            try (Stream<Path> files = Files.walk(runs)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<RunResult> pass(ProbeTrainer trainer, TokenSource train, TokenSource test, String layer,
                                        List<String> probes, int batch, int classes, Path runs, ProbeRegistry registry) {
        List<HeadSpec> heads = HeadPlanner.expand(probes, List.of(layer), List.of(0.1), List.of(0.0), List.of(32), 1, 0, registry);
        TrainRequest req = new TrainRequest(new Recipe(OptimizerKind.LARS, batch, 1, 0, 0), heads, 0, 0, 0, classes, runs,
                new RunProvenance("bench", "bench", "train", "test", 0.0));
        return trainer.train(req, train, test);
    }
}
