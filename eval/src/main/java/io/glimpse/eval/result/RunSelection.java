package io.glimpse.eval.result;

import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the newest run of each configuration. A runs folder accumulates re-runs of the same probe (make demo
 * twice, a crashed run repeated); the report should show one point per configuration, not a cloud of repeats.
 * Configuration = the fields that define what was trained, not what was measured.
 */
public final class RunSelection {
    private static final List<String> CONFIG_FIELDS = List.of("probe", "options", "backbone", "dataset", "layer",
            "cache_key", "epochs", "seed", "recipe", "online", "protocol", "views", "shots", "limit", "val_fraction",
            "feature", "few_shot");

    private RunSelection() {
    }

    public static List<RunResult> latestPerConfiguration(List<RunResult> runs) {
        Map<String, RunResult> newest = new LinkedHashMap<>();
        for (RunResult r : runs) {
            newest.merge(configuration(r), r, (a, b) -> written(b).isAfter(written(a)) ? b : a);
        }
        List<RunResult> out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparing(RunResult::runId));
        return out;
    }

    /** When the result file was last written (a result not read from a file counts as oldest). */
    private static Instant written(RunResult r) {
        try {
            return r.file() == null ? Instant.MIN : Files.getLastModifiedTime(r.file()).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + r.file(), e);
        }
    }

    static String configuration(RunResult r) {
        Map<String, Object> key = new TreeMap<>();
        for (String f : CONFIG_FIELDS) {
            Object v = r.fields().get(f);
            if (v != null) key.put(f, v instanceof Map<?, ?> m ? new TreeMap<>(m) : v);
        }
        key.putIfAbsent("probe", r.probe());
        return key.toString();
    }
}
