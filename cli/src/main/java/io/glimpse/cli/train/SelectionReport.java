package io.glimpse.cli.train;

import io.glimpse.train.run.RunResult;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The console lines of a selection group: the validation winner, and beside it the study's best-epoch-on-test. */
final class SelectionReport {
    private SelectionReport() {
    }

    static void print(List<RunResult> group, PrintWriter out) {
        RunResult winner = group.stream().filter(r -> Boolean.TRUE.equals(r.selection().chosen())).findFirst().orElseThrow();
        RunResult onTest = group.stream().max(Comparator.comparingDouble(RunResult::top1)).orElseThrow();
        out.printf(Locale.ROOT, "select: group %s, %d runs: chosen on validation %s %s layer %s%s (val top1 %.2f%s) -> test top1 %.2f%n",
                winner.selection().group(), group.size(), winner.probe(), options(winner), winner.layer(), recipe(winner),
                winner.valTop1Best(), winner.valBestEpoch() == null ? "" : " @" + winner.valBestEpoch(), winner.testTop1AtValBest());
        out.printf(Locale.ROOT, "select: for comparison, the study's best epoch on test over the same runs: %s %s%s %.2f%s (chosen by looking at test)%n",
                onTest.probe(), options(onTest), recipe(onTest), onTest.top1(), onTest.bestEpoch() == null ? "" : " @" + onTest.bestEpoch());
        out.flush();
    }

    /** The run's options without a closed-form probe's whole grid (its chosen l2 is among them). */
    private static Map<String, Object> options(RunResult r) {
        Map<String, Object> m = new TreeMap<>(r.options());
        m.remove("l2_grid");
        return m;
    }

    private static String recipe(RunResult r) {
        if (r.recipe() == null) return "";
        return String.format(Locale.ROOT, " %s blr %s wd %s", r.recipe().optimizer(), r.recipe().blr(), r.recipe().weightDecay());
    }
}
