package io.glimpse.eval.study;

import io.glimpse.train.run.RunResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses each probe's recipe on validation alone, across every grid of the study (several optimizers are several
 * {@code glimpse train} commands, so this is wider than one command's {@code --select val} group). A configuration
 * is what the head is (probe, options, layer, backbone, dataset); the recipe (optimizer, base rate, weight decay) is
 * what is chosen, separately for each schedule length.
 */
public final class StudySelection {
    private StudySelection() {
    }

    /** Runs without a validation split cannot be chosen honestly and are left out (see {@link #unselectable}). */
    public static List<StudyChoice> choose(List<RunResult> runs) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : runs) {
            if (r.valTop1Best() == null || r.isKnn()) continue;
            groups.computeIfAbsent(configuration(r) + "\u0000" + epochs(r), k -> new ArrayList<>()).add(r);
        }
        List<StudyChoice> out = new ArrayList<>();
        groups.forEach((key, members) -> {
            List<RunResult> ordered = members.stream().sorted(EARLIER_FIRST).toList();
            RunResult best = ordered.get(0);
            for (RunResult r : ordered) if (r.valTop1Best() > best.valTop1Best()) best = r;
            out.add(new StudyChoice(configuration(best), epochs(best), best, ordered));
        });
        out.sort(Comparator.comparing(StudyChoice::configuration).thenComparingInt(StudyChoice::epochs));
        return out;
    }

    /** Per configuration, its choice at the longest schedule the study trained it for: the points of the plots. */
    public static List<StudyChoice> longest(List<StudyChoice> choices) {
        Map<String, StudyChoice> out = new LinkedHashMap<>();
        for (StudyChoice c : choices) out.merge(c.configuration(), c, (a, b) -> b.epochs() > a.epochs() ? b : a);
        return List.copyOf(out.values());
    }

    public static List<RunResult> unselectable(List<RunResult> runs) {
        return runs.stream().filter(r -> r.valTop1Best() == null && !r.isKnn()).toList();
    }

    static String configuration(RunResult r) {
        return r.probe() + " " + new TreeMap<>(r.options()) + " " + r.layer() + " " + r.backbone() + " " + r.dataset();
    }

    private static int epochs(RunResult r) {
        return r.epochs() == null ? 0 : r.epochs();
    }

    private static final Comparator<RunResult> EARLIER_FIRST = Comparator
            .comparing((RunResult r) -> r.created() == null ? "" : r.created())
            .thenComparing(r -> r.runId() == null ? "" : r.runId());
}
