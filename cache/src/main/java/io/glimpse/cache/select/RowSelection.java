package io.glimpse.cache.select;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.read.SeededOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which rows of a source a run trains on and which it holds out to select its epoch on, from the rows' labels
 * and the seed only: the first {@code limit} rows (0 = all), then {@code shots} rows of every class (0 = all
 * rows), then a {@code valFraction} of every class held out (0 = none). This is the one rule for every kind of
 * source, so a cache entry and the online backbone given the same labels pick the same images.
 * <p>
 * A class with fewer rows than {@code shots} is an error, not a smaller class: a K-shot result must mean K
 * images of every class (a label with no row at all is no class of this source). Unlabelled rows (label &lt; 0)
 * belong to no class and are never shots; the hold-out treats them as one more group. Positions come back ascending, so a sequential scan can gather them.
 */
public record RowSelection(int limit, int shots, double valFraction, long seed) {
    /** Stream offset of the hold-out's shuffles, so they do not repeat the shots' draws. */
    private static final long HOLD_OUT_STREAM = 1_000_003L;

    public RowSelection {
        if (limit < 0) throw new BadInputException("row limit must be >= 0 (0 = all rows), got " + limit);
        if (shots < 0) throw new BadInputException("shots per class must be >= 0 (0 = all rows), got " + shots);
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new BadInputException("validation fraction must be in [0, 1), got " + valFraction);
        }
    }

    /** Positions (ascending) of the rows to train on and of the held-out rows (empty without a hold-out). */
    public record Rows(int[] train, int[] validation) {
    }

    public boolean keepsEverything() {
        return limit == 0 && shots == 0 && valFraction == 0;
    }

    public boolean holdsOut() {
        return valFraction > 0;
    }

    /** Applies the rule to the labels of a source's rows in sequential order. */
    public Rows choose(int[] labels) {
        int n = limit > 0 ? Math.min(limit, labels.length) : labels.length;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        if (shots > 0) rows = perClass(labels, rows);
        if (!holdsOut()) return new Rows(rows, new int[0]);
        return holdOut(labels, rows);
    }

    private int[] perClass(int[] labels, int[] rows) {
        List<int[]> groups = groups(labels, rows);
        List<Integer> chosen = new ArrayList<>();
        for (int g = 1; g < groups.size(); g++) {
            int[] members = groups.get(g);
            if (members.length == 0) continue;
            int label = g - 1;
            if (members.length < shots) {
                throw new BadInputException("K-shot subset: class " + label + " has " + members.length
                        + " rows, fewer than the " + shots + " shots asked for");
            }
            new SeededOrder(seed, g).shuffle(members);
            for (int i = 0; i < shots; i++) chosen.add(members[i]);
        }
        return sorted(chosen);
    }

    private Rows holdOut(int[] labels, int[] rows) {
        List<int[]> groups = groups(labels, rows);
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int[] members = groups.get(g);
            new SeededOrder(seed, HOLD_OUT_STREAM + g).shuffle(members);
            long count = Math.round(valFraction * members.length);
            for (int i = 0; i < members.length; i++) (i < count ? held : train).add(members[i]);
        }
        if (train.isEmpty() || held.isEmpty()) {
            throw new BadInputException("validation fraction " + valFraction + " of " + rows.length + " rows leaves "
                    + train.size() + " rows to train on and " + held.size() + " held out; both must be non-empty");
        }
        return new Rows(sorted(train), sorted(held));
    }

    /** {@code rows} grouped by label, in their order: group 0 holds the unlabelled rows, group l+1 label l. */
    private static List<int[]> groups(int[] labels, int[] rows) {
        int max = -1;
        for (int r : rows) max = Math.max(max, labels[r]);
        int[] counts = new int[max + 2];
        for (int r : rows) counts[group(labels[r])]++;
        List<int[]> out = new ArrayList<>();
        for (int c : counts) out.add(new int[c]);
        int[] fill = new int[counts.length];
        for (int r : rows) {
            int g = group(labels[r]);
            out.get(g)[fill[g]++] = r;
        }
        return out;
    }

    private static int group(int label) {
        return label < 0 ? 0 : label + 1;
    }

    private static int[] sorted(List<Integer> list) {
        int[] a = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
