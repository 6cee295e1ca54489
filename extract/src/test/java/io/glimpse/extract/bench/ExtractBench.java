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

    /** One round: the raw loop before and after, the pipeline over every split in between. */
    private record Round(double rawBefore, double endToEnd, double rawAfter, double pipelineSeconds, double wall, long rows, List<ExtractResult> splits) {
        /** Images per second of the raw loop over both halves. */
        double raw() {
            return 2 / (1 / rawBefore + 1 / rawAfter);
        }

        double ratio() {
            return endToEnd / raw();
        }
    }

    /** args: backbone, dataset, cache dir, output json, batch, threads, workers, rounds. */
    public static void main(String[] args) throws Exception {
        BackboneConfig bb = BackboneConfigLoader.load(args[0]);
        DatasetConfig ds = DatasetConfigLoader.load(args[1]);
        Path cache = Path.of(args[2]);
        Path out = Path.of(args[3]);
        int batch = Integer.parseInt(args[4]), threads = Integer.parseInt(args[5]), workers = Integer.parseInt(args[6]);
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 6;
        BackboneOptions opts = new BackboneOptions(threads, DeviceChoice.CPU, System.err::println);
        double load = loadAverage();

        // Each round brackets the end-to-end run with the raw loop (half the images before, half after; a round's
        // "after" is the next one's "before") so a drift in the machine's speed biases neither side. The first round
        // is cold: the JVM compiles the pipeline's code during it, a fixed cost of a few CPU seconds per process
        // that a real extraction (hours) amortises; the later rounds measure the steady state.
        Extractor extractor = new Extractor(CacheStore.open(cache));
        List<Round> done = new ArrayList<>();
        long peakRssKb = 0;
        double before = rawBaseline(bb, ds, opts, batch, 35_000);
        for (int round = 0; round < rounds; round++) {
            List<ExtractResult> results = new ArrayList<>();
            long rows = 0;
            double pipelineSeconds = 0, wall = 0;
            for (String split : ds.splits().keySet()) {
                ExtractResult r = extractor.ensure(ExtractRequest.of(bb, ds, split, opts).withBatch(batch, workers).withForce(true).withProgress(round == 0));
                results.add(r);
                rows += r.rows();
                pipelineSeconds += r.extractSeconds();
                wall += r.seconds();
                System.err.printf(Locale.ROOT, "round %d, %s: %d rows in %.1f s (%.0f img/s) %s%n", round + 1, split, r.rows(), r.extractSeconds(), r.imagesPerSecond(),
                        CacheStore.open(cache).find(r.key()).orElseThrow().manifest().orElseThrow().extractionStats());
            }
            peakRssKb = Math.max(peakRssKb, peakRssKb());
            double after = rawBaseline(bb, ds, opts, batch, 35_000);
            Round r = new Round(before, rows / pipelineSeconds, after, pipelineSeconds, wall, rows, results);
            done.add(r);
            System.err.printf(Locale.ROOT, "round %d%s: end-to-end %.0f img/s, raw %.0f img/s (%.0f before, %.0f after), ratio %.3f, RSS %d MiB%n", round + 1,
                    round == 0 ? " (cold)" : "", r.endToEnd(), r.raw(), r.rawBefore(), r.rawAfter(), r.ratio(), statusKb("VmRSS:") / 1024);
            before = after;
        }
        List<Round> warm = done.size() > 1 ? done.subList(1, done.size()) : done;
        // the middle warm round (the lower of the two middle ones for an even count: the default 6 rounds give 5 warm)
        Round median = warm.stream().sorted(java.util.Comparator.comparingDouble(Round::ratio)).toList().get((warm.size() - 1) / 2);
        System.err.printf(Locale.ROOT, "steady state (median of %d warm rounds): ratio %.3f; cold first round %.3f; peak RSS %d MiB%n",
                warm.size(), median.ratio(), done.get(0).ratio(), peakRssKb / 1024);

        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"benchmark\": \"extract\",%n  \"backbone\": \"%s\",%n  \"dataset\": \"%s\",%n", bb.name(), ds.name()));
        json.append(String.format(Locale.ROOT, "  \"images\": %d,%n  \"batch\": %d,%n  \"ort_intra_op_threads\": %d,%n  \"workers\": %d,%n  \"dtype\": \"float16\",%n",
                median.rows(), batch, opts.effectiveThreads(), ExtractRequest.of(bb, ds, "train", opts).withBatch(batch, workers).effectiveWorkers()));
        json.append("  \"measure\": \"rounds of: raw ONNX Runtime loop (35,000 images), every split end to end (forced re-extraction), raw loop again;"
                + " a round's ratio is its end-to-end rate over the harmonic mean of the raw rates around it. Round 1 is cold (the JVM compiles the"
                + " pipeline's code); the reported ratio is the median of the warm rounds (the lower middle one for an even count), and"
                + " the splits listed are that round's\",\n");
        json.append(String.format(Locale.ROOT, "  \"end_to_end_images_per_second\": %.1f,%n  \"end_to_end_seconds\": %.2f,%n", median.endToEnd(), median.pipelineSeconds()));
        json.append(String.format(Locale.ROOT, "  \"end_to_end_seconds_with_setup\": %.2f,%n", median.wall()));
        json.append(String.format(Locale.ROOT, "  \"raw_baseline_images_per_second\": %.1f,%n  \"raw_before_images_per_second\": %.1f,%n  \"raw_after_images_per_second\": %.1f,%n",
                median.raw(), median.rawBefore(), median.rawAfter()));
        json.append(String.format(Locale.ROOT, "  \"ratio_end_to_end_over_raw\": %.3f,%n", median.ratio()));
        json.append(String.format(Locale.ROOT, "  \"ratio_cold_first_round\": %.3f,%n", done.get(0).ratio()));
        json.append("  \"rounds\": [");
        for (int i = 0; i < done.size(); i++) {
            Round r = done.get(i);
            json.append(String.format(Locale.ROOT, "%s%n    {\"round\": %d, \"cold\": %b, \"end_to_end_images_per_second\": %.1f, \"raw_before\": %.1f, \"raw_after\": %.1f, \"ratio\": %.3f}",
                    i == 0 ? "" : ",", i + 1, i == 0, r.endToEnd(), r.rawBefore(), r.rawAfter(), r.ratio()));
        }
        json.append(String.format(Locale.ROOT, "%n  ],%n"));
        json.append(String.format(Locale.ROOT, "  \"load_average_at_end\": %.2f,%n", loadAverage()));
        json.append(String.format(Locale.ROOT, "  \"peak_rss_mib\": %d,%n", peakRssKb / 1024));
        json.append("  \"splits\": [");
        List<ExtractResult> results = median.splits();
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

    private static double loadAverage() throws java.io.IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
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
        return statusKb("VmHWM:");
    }

    private static long statusKb(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
