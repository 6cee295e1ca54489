package io.glimpse.eval.report;

import io.glimpse.train.run.RunResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Report sections for honest selection and few-shot series: every {@code --select val} group with its validation
 * winner beside the study's best-epoch-on-test over the same runs, and every few-shot configuration's mean ± sd
 * over its tries per K.
 */
final class SelectionSections {
    private SelectionSections() {
    }

    static List<Document.Section> of(List<RunResult> runs) {
        List<Document.Section> out = new ArrayList<>();
        Map<String, List<RunResult>> groups = new TreeMap<>();
        for (RunResult r : runs) {
            if (r.selection() != null && r.selection().group() != null) groups.computeIfAbsent(r.selection().group(), g -> new ArrayList<>()).add(r);
        }
        groups.forEach((g, members) -> out.add(group(g, members)));
        if (runs.stream().anyMatch(r -> r.fewShot() != null && r.fewShot().shots() != null)) out.add(fewShot(runs));
        return out;
    }

    private static Document.Section group(String id, List<RunResult> members) {
        RunResult winner = members.stream().filter(r -> Boolean.TRUE.equals(r.selection().chosen())).findFirst().orElse(null);
        RunResult onTest = members.stream().max(Comparator.comparingDouble(RunResult::top1)).orElseThrow();
        List<String> header = List.of("", "probe", "options", "layer", "optimizer", "blr", "weight decay", "val-best epoch",
                "val top-1 %", "test top-1 @val-best %", "best epoch on test", "top-1 best on test %");
        List<List<String>> rows = new ArrayList<>();
        List<RunResult> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing((RunResult r) -> r.valTop1Best() == null ? Double.NEGATIVE_INFINITY : -r.valTop1Best()));
        for (RunResult r : sorted) {
            rows.add(List.of(r == winner ? "**chosen**" : "", ProbeLabels.base(r), options(r), text(r.layer()),
                    r.recipe() == null ? "–" : text(r.recipe().optimizer()), r.recipe() == null ? "–" : number(r.recipe().blr()),
                    r.recipe() == null ? "–" : number(r.recipe().weightDecay()), epoch(r.valBestEpoch(), r), fixed(r.valTop1Best()),
                    fixed(r.testTop1AtValBest()), r.bestEpoch() == null ? "–" : String.valueOf(r.bestEpoch()), fixed(r.top1())));
        }
        String text = winner == null
                ? "The winner of this group is not among the runs read."
                : String.format(Locale.ROOT, "**Selected on validation** (the test split unseen): %s (%s): test top-1 **%.2f%%**."
                        + " For comparison, **the study's protocol** (the best epoch on test, taken over the same %d runs, "
                        + "which looks at the test split): %s (%s%s): %.2f%%.",
                ProbeLabels.base(winner), hyperParameters(winner), winner.testTop1AtValBest(), members.size(),
                ProbeLabels.base(onTest), hyperParameters(onTest), onTest.bestEpoch() == null ? "" : ", best test epoch " + onTest.bestEpoch(),
                onTest.top1());
        return new Document.Section("Selection group " + id, List.of(new Document.Paragraph(text), new Document.Table(header, rows)));
    }

    /** The options that define the run (a closed-form probe's whole grid is left out: its chosen l2 is shown). */
    static String options(RunResult r) {
        List<String> parts = new ArrayList<>();
        r.options().forEach((k, v) -> {
            if (!k.equals("l2_grid")) parts.add(k + " " + v);
        });
        return parts.isEmpty() ? "–" : String.join(", ", parts);
    }

    private static String hyperParameters(RunResult r) {
        List<String> parts = new ArrayList<>();
        if (!r.options().isEmpty()) parts.add(options(r));
        if (r.layer() != null) parts.add("layer " + r.layer());
        if (r.recipe() != null) {
            parts.add(r.recipe().optimizer() + ", blr " + number(r.recipe().blr()) + ", weight decay " + number(r.recipe().weightDecay()));
        }
        if (r.valBestEpoch() != null) parts.add("epoch " + r.valBestEpoch());
        return String.join(", ", parts);
    }

    private static String epoch(Integer e, RunResult r) {
        if (e != null) return "epoch " + e;
        return r.epochs() == null ? "closed form" : "–";
    }

    /** Mean ± sd over the tries of every configuration and K; with selection groups, also of their winners. */
    private static Document.Section fewShot(List<RunResult> runs) {
        Map<String, Map<Integer, List<RunResult>>> byConfig = new LinkedHashMap<>();
        Map<Integer, List<RunResult>> winners = new TreeMap<>();
        List<RunResult> shotRuns = runs.stream().filter(r -> r.fewShot() != null && r.fewShot().shots() != null).toList();
        for (RunResult r : shotRuns) {
            byConfig.computeIfAbsent(configuration(r), c -> new TreeMap<>()).computeIfAbsent(r.fewShot().shots(), k -> new ArrayList<>()).add(r);
            if (r.selection() != null && Boolean.TRUE.equals(r.selection().chosen())) {
                winners.computeIfAbsent(r.fewShot().shots(), k -> new ArrayList<>()).add(r);
            }
        }
        List<String> header = List.of("configuration", "K", "tries", "top-1 %", "mean/class %", "test top-1 @val-best %",
                "mean/class @val-best %");
        List<List<String>> rows = new ArrayList<>();
        byConfig.forEach((config, byK) -> byK.forEach((k, members) -> rows.add(List.of(config, String.valueOf(k),
                String.valueOf(members.size()), spread(members, RunResult::top1), spread(members, SelectionSections::perClassAtBest),
                spread(members, RunResult::testTop1AtValBest), spread(members, RunResult::meanPerClassAtValBest)))));
        winners.forEach((k, members) -> rows.add(List.of("**selected on validation** (each try's winner)", String.valueOf(k),
                String.valueOf(members.size()), "–", "–", spread(members, RunResult::testTop1AtValBest),
                spread(members, RunResult::meanPerClassAtValBest))));
        String text = "K images per class, one row per configuration and K: mean ± sample standard deviation over the "
                + "tries (each try its own seeded draw, init and batch order). `top-1` and `mean/class` are taken at the "
                + "best epoch on test (the study's protocol); the `@val-best` columns at the best validation epoch, "
                + "with the test split unseen (runs trained with --val-fraction). Mean/class averages the top-1 of every "
                + "class, so each class weighs the same.";
        return new Document.Section("Few-shot", List.of(new Document.Paragraph(text), new Document.Table(header, rows)));
    }

    /** Mean-per-class at the epoch of {@code top1()}: the best epoch, else the last. */
    private static Double perClassAtBest(RunResult r) {
        return r.top1Best() != null ? r.meanPerClassBest() : r.meanPerClassLast();
    }

    private static String configuration(RunResult r) {
        StringBuilder sb = new StringBuilder(ProbeLabels.base(r));
        if (r.layer() != null) sb.append(" [").append(r.layer()).append(']');
        if (r.recipe() != null) {
            sb.append(' ').append(r.recipe().optimizer()).append(" blr ").append(number(r.recipe().blr()))
                    .append(" wd ").append(number(r.recipe().weightDecay()));
        }
        if (r.epochs() != null) sb.append(", ").append(r.epochs()).append(" epochs");
        if (r.backbone() != null) sb.append(" (").append(r.backbone()).append(')');
        return sb.toString();
    }

    /** "mean ± sd" (sample sd, n - 1) of the values present; "–" when none. */
    static String spread(List<RunResult> runs, Function<RunResult, Double> f) {
        List<Double> v = runs.stream().map(f).filter(Objects::nonNull).toList();
        if (v.isEmpty()) return "–";
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (v.size() == 1) return String.format(Locale.ROOT, "%.2f", mean);
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return String.format(Locale.ROOT, "%.2f ± %.2f", mean, Math.sqrt(ss / (v.size() - 1)));
    }

    private static String fixed(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String number(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%s", v);
    }

    private static String text(String s) {
        return s == null ? "–" : s;
    }
}
