package io.glimpse.train.parity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Puts Glimpse's runs next to the fixture's reference accuracies (testdata/reference.json) and writes
 * {@code bench/results/parity.json} plus the markdown table for the README. A reference configuration matches the
 * newest run with the same probe, layer, EP query count, seed and epoch count. Run by {@code bench/parity.sh}.
 */
public final class ParityReport {
    static final double TIGHT_TARGET = 0.5;
    static final double LOOSE_TARGET = 1.0;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ParityReport() {
    }

    /** The reference's rows matched against every result.json under {@code runsDir}. */
    public static List<ParityRow> rows(Path referenceJson, Path runsDir) {
        JsonNode ref = read(referenceJson);
        int epochs = ref.path("recipe").path("epochs").asInt(30);
        List<RunResult> runs = results(runsDir);
        List<ParityRow> rows = new ArrayList<>();
        ref.path("layers").fields().forEachRemaining(layerEntry -> {
            String layer = layerEntry.getKey().equals("last") ? "last_hidden_state" : layerEntry.getKey();
            for (JsonNode r : layerEntry.getValue()) rows.add(row(r, layer, epochs, runs));
        });
        return rows;
    }

    private static ParityRow row(JsonNode r, String layer, int epochs, List<RunResult> runs) {
        String probe = r.path("probe").asText();
        Integer queries = r.path("opts").has("queries") ? r.path("opts").path("queries").asInt() : null;
        int seed = r.path("seed").asInt(0);
        double target = probe.equals("linear") || probe.equals("linear-gap") || probe.equals("efficient") ? TIGHT_TARGET : LOOSE_TARGET;
        Optional<RunResult> match = runs.stream()
                .filter(x -> x.probe().equals(probe) && layer.equals(x.layer()) && Objects.equals(x.seed(), seed)
                        && Objects.equals(x.epochs(), epochs))
                .filter(x -> queries == null || Integer.valueOf(queries).equals(asInt(x.options().get("queries"))))
                .max(Comparator.comparing(RunResult::created, Comparator.nullsFirst(Comparator.naturalOrder())));
        double refBest = r.path("best_top1").asDouble();
        double refLast = r.path("last_top1").asDouble();
        Map<String, Object> refOptions = JSON.convertValue(r.path("options_used"), TreeMap.class);
        if (match.isEmpty()) {
            return new ParityRow(probe, refOptions, layer, r.path("params").asLong(), null, null, null, null, refBest,
                    r.path("best_epoch").asInt(), refLast, null, null, target, null, null, null, null,
                    r.path("train_seconds").asDouble(), r.path("train_cpu_seconds").asDouble(), null);
        }
        RunResult m = match.get();
        double dBest = round2(m.top1Best() - refBest);
        return new ParityRow(probe, m.options(), layer, r.path("params").asLong(), m.params(), m.top1Best(), m.bestEpoch(),
                m.top1Last(), refBest, r.path("best_epoch").asInt(), refLast, dBest, round2(m.top1Last() - refLast), target,
                Math.abs(dBest) <= target, m.trainSeconds(), m.trainCpuSeconds(), m.headsInPass(), r.path("train_seconds").asDouble(),
                r.path("train_cpu_seconds").asDouble(), m.runId());
    }

    /** parity.json: the rows plus a summary; parity.md: the README table. */
    public static void write(List<ParityRow> rows, Path referenceJson, Path jsonOut, Path markdownOut) {
        long run = rows.stream().filter(r -> r.top1Best() != null).count();
        long within = rows.stream().filter(r -> Boolean.TRUE.equals(r.withinTarget())).count();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("reference", referenceJson.toString());
        doc.put("recipe", read(referenceJson).path("recipe"));
        doc.put("summary", Map.of("configurations", rows.size(), "run", run, "within_target", within));
        doc.put("rows", rows);
        try {
            Files.createDirectories(jsonOut.toAbsolutePath().getParent());
            Files.writeString(jsonOut, JSON.writeValueAsString(doc) + "\n");
            Files.writeString(markdownOut, markdown(rows, run, within));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the parity report", e);
        }
    }

    static String markdown(List<ParityRow> rows, long run, long within) {
        StringBuilder s = new StringBuilder();
        s.append("| probe | options | layer | params (ref) | best top-1 @ep | ref best @ep | Δ best | last top-1 | ref last | Δ last | target | ok | train CPU s (ref) |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|\n");
        for (ParityRow r : rows) {
            String opts = r.options() == null || r.options().isEmpty() ? "-" : r.options().toString().replaceAll("[{}]", "");
            if (r.top1Best() == null) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | - (%,d) | not run | %.2f @%d | | | %.2f | | %.1f | | (%.0f) |%n",
                        r.probe(), opts, r.layer(), r.referenceParams(), r.referenceTop1Best(), r.referenceBestEpoch(),
                        r.referenceTop1Last(), r.target(), r.referenceTrainCpuSeconds()));
                continue;
            }
            String cpu = r.trainCpuSeconds() == null || r.trainCpuSeconds() <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.trainCpuSeconds());
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d (%,d) | %.2f @%d | %.2f @%d | %+.2f | %.2f | %.2f | %+.2f | %.1f | %s | %s (%.0f) |%n",
                    r.probe(), opts, r.layer(), r.params(), r.referenceParams(), r.top1Best(), r.bestEpoch(),
                    r.referenceTop1Best(), r.referenceBestEpoch(), r.deltaBest(), r.top1Last(), r.referenceTop1Last(),
                    r.deltaLast(), r.target(), r.withinTarget() ? "yes" : "**no**", cpu, r.referenceTrainCpuSeconds()));
        }
        s.append(String.format(Locale.ROOT, "%n%d of %d reference configurations run; %d within target.%n", run, rows.size(), within));
        return s.toString();
    }

    private static List<RunResult> results(Path runsDir) {
        if (!Files.isDirectory(runsDir)) return List.of();
        try (Stream<Path> s = Files.walk(runsDir, 3)) {
            return s.filter(p -> p.getFileName().toString().equals(RunDirectory.RESULT)).map(ResultJson::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runsDir, e);
        }
    }

    private static Integer asInt(Object o) {
        return o instanceof Number n ? n.intValue() : null;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** {@code --list-probes} | {@code --reference F --runs D --json F --markdown F}. */
    public static void main(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--list-probes")) {
                new ProbeRegistry().names().forEach(System.out::println);
                return;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
            a.put(args[i], args[++i]);
        }
        Path reference = Path.of(a.get("--reference"));
        List<ParityRow> rows = rows(reference, Path.of(a.get("--runs")));
        write(rows, reference, Path.of(a.get("--json")), Path.of(a.get("--markdown")));
        long run = rows.stream().filter(r -> r.top1Best() != null).count();
        long within = rows.stream().filter(r -> Boolean.TRUE.equals(r.withinTarget())).count();
        System.out.printf(Locale.ROOT, "parity: %d of %d configurations run, %d within target -> %s%n", run, rows.size(),
                within, a.get("--json"));
    }
}
