package io.glimpse.train.config;

import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeFamily;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands the CLI's lists into the heads of a run: every probe × layer × base lr × weight decay, and for the EP family
 * every {@code --queries} value, the way DINOv2 and CAPI sweep linear heads in parallel. A value given twice in one
 * list would train the same head twice under one name and is refused. {@code all} stands for every listed
 * probe of the registry. Unknown names are refused here, before anything is read or trained.
 */
public final class HeadPlanner {
    private HeadPlanner() {
    }

    /** Names the registry accepts but does not list (benchmark-only variants) may be asked for by name. */
    public static List<HeadSpec> expand(List<String> probes, List<String> layers, List<Double> blrs, List<Double> weightDecays,
                                        List<Integer> queries, int dOut, int heads, ProbeRegistry registry) {
        List<String> known = registry.names();
        Set<String> names = new LinkedHashSet<>();
        for (String p : probes) {
            for (String part : p.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) continue;
                if (name.equals("all")) {
                    names.addAll(known);
                } else if (registry.contains(name)) {
                    names.add(name);
                } else {
                    throw new TrainInputException("unknown --probe '" + name + "'; allowed: all, " + String.join(", ", known));
                }
            }
        }
        if (names.isEmpty()) throw new TrainInputException("--probe: no probe named; allowed: all, " + String.join(", ", known));
        if (layers.isEmpty()) throw new TrainInputException("--layer: no layer named");
        if (blrs.isEmpty()) throw new TrainInputException("--blr: no base learning rate given");
        if (weightDecays.isEmpty()) throw new TrainInputException("--weight-decay: no weight decay given");
        distinct("--layer", layers);
        distinct("--blr", blrs);
        distinct("--weight-decay", weightDecays);
        distinct("--queries", queries);
        List<Integer> qs = queries.isEmpty() ? List.of(ProbeOptions.DEFAULTS.queries()) : queries;
        List<HeadSpec> out = new ArrayList<>();
        for (String name : names) {
            boolean sweepsQueries = registry.find(name).orElseThrow().family() == ProbeFamily.EFFICIENT;
            List<Integer> perProbe = sweepsQueries ? qs : List.of(qs.get(0));
            for (String layer : layers) {
                for (double blr : blrs) {
                    for (double wd : weightDecays) {
                        for (int q : perProbe) {
                            out.add(new HeadSpec(name, options(q, dOut, heads), layer, blr, wd));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void distinct(String option, List<?> values) {
        Set<Object> seen = new HashSet<>();
        for (Object v : values) {
            if (v == null) throw new TrainInputException(option + ": empty value in the list");
            if (!seen.add(v)) throw new TrainInputException(option + ": " + v + " is listed twice");
        }
    }

    private static ProbeOptions options(int queries, int dOut, int heads) {
        try {
            return new ProbeOptions(queries, dOut, heads);
        } catch (IllegalArgumentException e) {
            throw new TrainInputException(e.getMessage());
        }
    }
}
