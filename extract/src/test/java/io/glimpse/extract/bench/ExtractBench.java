package io.glimpse.extract.bench;

import io.glimpse.cache.CacheStore;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.ExtractResult;
import io.glimpse.extract.pipeline.Extractor;
import io.glimpse.extract.pipeline.RowPlan;
import io.glimpse.extract.pipeline.SampleTransform;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/extract.sh: end-to-end extraction of every split (decode, preprocess, backbone, float16 conversion, shard
 * writes) against the raw baseline in the same JVM: the same ONNX Runtime session settings called in a loop on
 * already preprocessed batches of the same size, for as many images. Peak RSS (VmHWM) is read after the
 * end-to-end part; the first baseline half before it holds only 8 batches, far below the pipeline's footprint.
 */
public final class ExtractBench {
    private ExtractBench() {
    }

    /** args: backbone, dataset, cache dir, output json, batch, threads, workers. */
    public static void main(String[] args) throws Exception {
        BackboneConfig bb = BackboneConfigLoader.load(args[0]);
        DatasetConfig ds = DatasetConfigLoader.load(args[1]);
        Path cache = Path.of(args[2]);
        Path out = Path.of(args[3]);
        int batch = Integer.parseInt(args[4]), threads = Integer.parseInt(args[5]), workers = Integer.parseInt(args[6]);
        BackboneOptions opts = new BackboneOptions(threads, DeviceChoice.CPU, System.err::println);
        double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);

        // the raw baseline brackets the end-to-end run (half the images before, half after) so a change in the
        // machine's load during the benchmark biases neither side
        double rawBefore = rawBaseline(bb, ds, opts, batch, 35_000);
        Extractor extractor = new Extractor(CacheStore.open(cache));
        List<ExtractResult> results = new ArrayList<>();
        long rows = 0;
        double pipelineSeconds = 0, wall = 0;
        for (String split : ds.splits().keySet()) {
            ExtractResult r = extractor.ensure(ExtractRequest.of(bb, ds, split, opts).withBatch(batch, workers).withForce(true).withProgress(true));
            results.add(r);
            rows += r.rows();
            pipelineSeconds += r.extractSeconds();
            wall += r.seconds();
            System.err.printf(Locale.ROOT, "%s: %d rows in %.1f s (%.0f img/s) %s%n", split, r.rows(), r.extractSeconds(), r.imagesPerSecond(),
                    CacheStore.open(cache).find(r.key()).orElseThrow().manifest().orElseThrow().extractionStats());
        }
        long peakRssKb = peakRssKb();
        double endToEnd = rows / pipelineSeconds;

        double rawAfter = rawBaseline(bb, ds, opts, batch, 35_000);
        double raw = 2 / (1 / rawBefore + 1 / rawAfter); // images per second over both halves
        System.err.printf(Locale.ROOT, "end-to-end %.0f img/s, raw %.0f img/s, ratio %.3f, peak RSS %d MiB%n", endToEnd, raw, endToEnd / raw, peakRssKb / 1024);

        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"benchmark\": \"extract\",%n  \"backbone\": \"%s\",%n  \"dataset\": \"%s\",%n", bb.name(), ds.name()));
        json.append(String.format(Locale.ROOT, "  \"images\": %d,%n  \"batch\": %d,%n  \"ort_intra_op_threads\": %d,%n  \"workers\": %d,%n  \"dtype\": \"float16\",%n",
                rows, batch, opts.effectiveThreads(), results.isEmpty() ? 0 : ExtractRequest.of(bb, ds, "train", opts).withBatch(batch, workers).effectiveWorkers()));
        json.append(String.format(Locale.ROOT, "  \"end_to_end_images_per_second\": %.1f,%n  \"end_to_end_seconds\": %.2f,%n", endToEnd, pipelineSeconds));
        json.append(String.format(Locale.ROOT, "  \"end_to_end_seconds_with_setup\": %.2f,%n", wall));
        json.append(String.format(Locale.ROOT, "  \"raw_baseline_images_per_second\": %.1f,%n  \"raw_before_images_per_second\": %.1f,%n  \"raw_after_images_per_second\": %.1f,%n",
                raw, rawBefore, rawAfter));
        json.append(String.format(Locale.ROOT, "  \"ratio_end_to_end_over_raw\": %.3f,%n", endToEnd / raw));
        json.append(String.format(Locale.ROOT, "  \"load_average_at_end\": %.2f,%n", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0])));
        json.append(String.format(Locale.ROOT, "  \"peak_rss_mib\": %d,%n", peakRssKb / 1024));
        json.append("  \"splits\": [");
        for (int i = 0; i < results.size(); i++) {
            ExtractResult r = results.get(i);
            json.append(String.format(Locale.ROOT, "%s%n    {\"split\": \"%s\", \"rows\": %d, \"seconds\": %.2f, \"images_per_second\": %.1f, \"bytes\": %d, \"key\": \"%s\"}",
                    i == 0 ? "" : ",", r.split(), r.rows(), r.extractSeconds(), r.imagesPerSecond(), r.bytes(), r.key().hex()));
        }
        json.append(String.format(Locale.ROOT, "%n  ],%n  \"machine\": {\"cores\": %d, \"load_average_at_start\": %.2f, \"java\": \"%s\"},%n",
                Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.version")));
        json.append(String.format(Locale.ROOT, "  \"date\": \"%s\"%n}%n", java.time.Instant.now()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.toString());
    }

    /** Images per second of the bare session on preprocessed batches (a few distinct ones, cycled). */
    private static double rawBaseline(BackboneConfig bb, DatasetConfig ds, BackboneOptions opts, int batch, long images) throws Exception {
        ImageDataset test = DatasetConfigLoader.open(ds, ds.splits().keySet().iterator().next());
        try (OnnxBackbone backbone = OnnxBackbone.open(bb, List.of(), opts)) {
            SampleTransform t = new SampleTransform(backbone.preprocessing(), null);
            int size = backbone.preprocessing().tensorSize();
            List<FloatBuffer> batches = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                FloatBuffer buf = OnnxBackbone.directFloats(batch * size);
                for (int i = 0; i < batch; i++) t.write(test, (b * batch + i) % test.size(), 0, 0, buf, i * size);
                batches.add(buf);
            }
            Map<String, FloatBuffer> outs = new HashMap<>();
            for (String l : backbone.layers()) outs.put(l, OnnxBackbone.directFloats(batch * backbone.layout().rowValues()));
            backbone.run(batches.get(0), batch, outs); // warm-up, as the pipeline's validation probe is
            long done = 0, t0 = System.nanoTime();
            for (int i = 0; done < images; i++) {
                int n = (int) Math.min(batch, images - done);
                backbone.run(batches.get(i % batches.size()), n, outs);
                done += n;
            }
            return done / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
