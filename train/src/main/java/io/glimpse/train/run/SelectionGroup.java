package io.glimpse.train.run;

import io.glimpse.train.TrainInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Honest model selection across the runs of one invocation: the run with the highest validation top-1
 * ({@code val_top1_best}, already taken at each run's best validation epoch) wins, the earlier run on a tie; the
 * test split plays no part. Its {@code test_top1_at_val_best} is the group's reported accuracy. Every run's
 * result.json then records the group and its winner ({@link SelectionRecord}).
 */
public final class SelectionGroup {
    private SelectionGroup() {
    }

    /** The winner's index in {@code runs}; refused when a run has no validation accuracy. */
    public static int winner(List<RunResult> runs) {
        if (runs.isEmpty()) throw new TrainInputException("--select val: no runs to select from");
        int best = -1;
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            if (r.valTop1Best() == null || r.testTop1AtValBest() == null) {
                throw new TrainInputException("--select val: run " + r.runId() + " (" + r.probe()
                        + ") has no validation accuracy; train it with --val-fraction");
            }
            if (best < 0 || r.valTop1Best() > runs.get(best).valTop1Best()) best = i;
        }
        return best;
    }

    /** Chooses the winner of {@code runs} and rewrites every run's result.json with the group; returns them as written. */
    public static List<RunResult> record(String group, List<RunResult> runs) {
        int win = winner(runs);
        String winner = runs.get(win).runId();
        List<RunResult> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SelectionRecord s = new SelectionRecord(group, SelectionRecord.VAL_TOP1, runs.size(), winner, i == win);
            out.add(update(runs.get(i), r -> r.withSelection(s)));
        }
        return out;
    }

    /** Rewrites one run's result.json (found through {@link RunResult#file()}) with {@code change} applied. */
    public static RunResult update(RunResult run, UnaryOperator<RunResult> change) {
        if (run.file() == null) throw new IllegalArgumentException("run " + run.runId() + " was not read from or written to a file");
        return RunDirectory.open(run.file()).updateResult(change);
    }
}
