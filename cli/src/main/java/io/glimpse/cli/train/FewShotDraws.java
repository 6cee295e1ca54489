package io.glimpse.cli.train;

import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.cli.CliInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The row draws of one {@code glimpse train}: for every {@code --shots} K (in the order given) {@code --tries}
 * draws, try t with seed {@code --seed} + t - 1, which draws its K images per class, initialises the heads and
 * orders the batches. Without K (0, the default) there is one draw of every train row. A class with fewer than K
 * images is an error, not a smaller class: a K-shot number must mean K images of every class.
 */
record FewShotDraws(List<Integer> shots, int tries, int seed) {

    record Draw(int shots, int index, int seed) {
    }

    static FewShotDraws of(List<Integer> shots, int tries, int seed) {
        if (tries < 1) throw new CliInputException("--tries must be >= 1, got " + tries);
        if (shots.isEmpty()) throw new CliInputException("--shots: no value given");
        boolean several = shots.size() > 1 || tries > 1;
        for (int k : shots) {
            if (k < 0) throw new CliInputException("--shots must be >= 0, got " + k);
            if (k == 0 && several) {
                throw new CliInputException("--shots 0 (every row) cannot be one of several draws; give K >= 1 images per class"
                        + (tries > 1 ? " with --tries" : ""));
            }
        }
        if (shots.stream().distinct().count() < shots.size()) throw new CliInputException("--shots lists a value twice: " + shots);
        return new FewShotDraws(List.copyOf(shots), tries, seed);
    }

    /** Whether the runs are K-shot draws (recorded as such and averaged by the report). */
    boolean isFewShot() {
        return shots.get(0) > 0;
    }

    int maxShots() {
        return shots.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    List<Draw> all() {
        List<Draw> out = new ArrayList<>();
        for (int k : shots) {
            for (int t = 1; t <= tries; t++) out.add(new Draw(k, t, seed + t - 1));
        }
        return out;
    }

    /**
     * Refuses, before anything is trained, a K larger than a class of the train rows (when the source's labels are
     * at hand without reading tokens), with the same line the row selection would give when that K's turn comes.
     */
    void checkClasses(TokenSource train) {
        if (!isFewShot() || !(train instanceof SelectableSource s)) return;
        new RowSelection(0, maxShots(), 0, seed).choose(s.labels());
    }
}
