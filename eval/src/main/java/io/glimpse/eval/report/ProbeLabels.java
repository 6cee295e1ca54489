package io.glimpse.eval.report;

import io.glimpse.eval.closedform.ClosedFormProbe;
import io.glimpse.train.probe.ProbeFamily;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RecipeRecord;
import io.glimpse.train.run.RunResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Short, unique point labels: the probe name plus what tells runs apart. The EP family's query count is always
 * shown (it is the method's main knob); layer, backbone, dataset, protocol and seed only when the runs differ in
 * them; the run id as a last resort.
 */
public final class ProbeLabels {
    private static final ProbeRegistry PROBES = new ProbeRegistry();

    private ProbeLabels() {
    }

    public static Map<RunResult, String> of(List<RunResult> runs) {
        Map<RunResult, StringBuilder> labels = new IdentityHashMap<>();
        for (RunResult r : runs) labels.put(r, new StringBuilder(base(r)));
        appendWhereDifferent(runs, labels, RunResult::layer, v -> " [" + v + "]");
        appendWhereDifferent(runs, labels, RunResult::backbone, v -> " (" + v + ")");
        appendWhereDifferent(runs, labels, RunResult::dataset, v -> " on " + v);
        appendWhereDifferent(runs, labels, ProbeLabels::protocol, v -> v.isEmpty() ? "" : " " + v);
        // a recipe grid: the same head under several optimizers, rates, weight decays or schedule lengths
        disambiguateWhereDifferent(runs, labels, ProbeLabels::recipe);
        disambiguate(runs, labels, r -> r.seed() == null ? null : " seed " + r.seed());
        disambiguate(runs, labels, r -> " " + r.runId());
        Map<RunResult, String> out = new IdentityHashMap<>();
        labels.forEach((r, sb) -> out.put(r, sb.toString()));
        return out;
    }

    static String base(RunResult r) {
        StringBuilder sb = new StringBuilder(r.probe());
        if (PROBES.find(r.probe()).map(info -> info.family() == ProbeFamily.EFFICIENT).orElse(false)) {
            Object m = r.options().get("queries");
            if (m != null) sb.append(" M=").append(m);
            Object dOut = r.options().get("d_out");
            if (dOut != null && !"1".equals(String.valueOf(dOut))) sb.append(" d_out=").append(dOut);
        }
        if (r.isKnn() && r.fields().get("feature") != null) sb.append(' ').append(r.fields().get("feature"));
        if (ClosedFormProbe.find(r.probe()).isPresent() && r.options().get("pool") != null) sb.append(' ').append(r.options().get("pool"));
        return sb.toString();
    }

    /** Training protocol when not a plain single-view cache: "online" or "K views". */
    static String protocol(RunResult r) {
        // the trainer marks online runs by their cache key ("online", "online-augmented"): there is no cache
        if (Boolean.TRUE.equals(r.fields().get("online")) || (r.cacheKey() != null && r.cacheKey().startsWith("online"))) {
            return r.cacheKey() != null && r.cacheKey().equals("online-augmented") ? "online augmented" : "online";
        }
        Object views = r.fields().get("views");
        if (views instanceof Number n && n.intValue() > 1) return n.intValue() + " views";
        return "";
    }

    private static void appendWhereDifferent(List<RunResult> runs, Map<RunResult, StringBuilder> labels,
                                             Function<RunResult, String> attribute, Function<String, String> format) {
        if (runs.stream().map(attribute).filter(Objects::nonNull).distinct().count() < 2) return;
        for (RunResult r : runs) {
            String v = attribute.apply(r);
            if (v != null) labels.get(r).append(format.apply(v));
        }
    }

    static String recipe(RunResult r) {
        RecipeRecord rec = r.recipe();
        if (rec == null) return null;
        return (rec.optimizer() == null ? "" : " " + rec.optimizer()) + (rec.blr() == null ? "" : " blr " + compact(rec.blr()))
                + (rec.weightDecay() == null || rec.weightDecay() == 0 ? "" : " wd " + compact(rec.weightDecay()))
                + (r.epochs() == null ? "" : " " + r.epochs() + " ep");
    }

    private static String compact(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    /** Appends the suffix to runs whose labels collide, only within a colliding group whose suffixes differ. */
    private static void disambiguateWhereDifferent(List<RunResult> runs, Map<RunResult, StringBuilder> labels,
                                                   Function<RunResult, String> suffix) {
        Map<String, List<RunResult>> groups = new HashMap<>();
        for (RunResult r : runs) groups.computeIfAbsent(labels.get(r).toString(), k -> new ArrayList<>()).add(r);
        for (List<RunResult> group : groups.values()) {
            if (group.size() < 2 || group.stream().map(suffix).filter(Objects::nonNull).distinct().count() < 2) continue;
            for (RunResult r : group) {
                String s = suffix.apply(r);
                if (s != null) labels.get(r).append(s);
            }
        }
    }

    private static void disambiguate(List<RunResult> runs, Map<RunResult, StringBuilder> labels,
                                     Function<RunResult, String> suffix) {
        Map<String, Integer> counts = new HashMap<>();
        for (RunResult r : runs) counts.merge(labels.get(r).toString(), 1, Integer::sum);
        for (RunResult r : runs) {
            if (counts.get(labels.get(r).toString()) > 1) {
                String s = suffix.apply(r);
                if (s != null) labels.get(r).append(s);
            }
        }
    }
}
