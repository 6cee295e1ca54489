package io.glimpse.train.loop;

import io.glimpse.train.run.RunNames;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The one line printed after each epoch: every head's loss and top-1 for a few heads; for a grid, the head count,
 * the best head (by validation top-1 when there is a hold-out, else test top-1) and the mean over heads.
 */
final class EpochSummary {
    static final int LISTED = 6;

    private EpochSummary() {
    }

    static String of(List<HeadRun> runs, int epoch, int epochs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs));
        if (runs.size() <= LISTED) {
            for (HeadRun r : runs) {
                EpochRecord e = last(r);
                s.append(String.format(Locale.ROOT, " | %s loss %.4f top1 %.2f", r.spec.probe(), e.loss(), e.top1()));
                if (!Double.isNaN(e.valTop1())) s.append(String.format(Locale.ROOT, " val %.2f", e.valTop1()));
            }
            return s.toString();
        }
        boolean validated = !Double.isNaN(last(runs.get(0)).valTop1());
        Comparator<HeadRun> score = Comparator.comparingDouble(r -> validated ? last(r).valTop1() : last(r).top1());
        HeadRun best = runs.stream().max(score).orElseThrow();
        EpochRecord b = last(best);
        s.append(String.format(Locale.ROOT, " | %d heads | mean loss %.4f top1 %.2f | best %s top1 %.2f", runs.size(),
                runs.stream().mapToDouble(r -> last(r).loss()).average().orElse(Double.NaN),
                runs.stream().mapToDouble(r -> last(r).top1()).average().orElse(Double.NaN),
                RunNames.describe(best.spec.probe(), best.head.optionsUsed(), best.spec.layer(), best.spec.blr(), best.spec.weightDecay()),
                b.top1()));
        if (validated) s.append(String.format(Locale.ROOT, " val %.2f", b.valTop1()));
        return s.toString();
    }

    private static EpochRecord last(HeadRun r) {
        return r.epochs.get(r.epochs.size() - 1);
    }
}
