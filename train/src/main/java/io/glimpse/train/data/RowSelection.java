package io.glimpse.train.data;

import io.glimpse.cache.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which training rows a run uses, from labels and a seed only (so every run with the same seed picks the same
 * rows): class-balanced K-shot subsets (the low-shot study) and a held-out validation fraction (honest model
 * selection, SPEC.md section 0). Row lists come back sorted so a sequential scan can gather them.
 */
public final class RowSelection {
    private RowSelection() {
    }

    /** Train and validation rows. */
    public record Split(int[] train, int[] validation) {
    }

    /** K rows of every class, drawn without replacement (seeded); a class with fewer than K rows is an error. */
    public static int[] shotsPerClass(int[] labels, int shots, long seed) {
        if (shots <= 0) throw new BadInputException("--shots must be > 0, got " + shots);
        List<List<Integer>> byClass = rowsByClass(labels);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eed5407L);
        List<Integer> picked = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> rows = byClass.get(c);
            if (rows.isEmpty()) continue;
            if (rows.size() < shots) {
                throw new BadInputException("--shots " + shots + ": class " + c + " has only " + rows.size() + " training rows");
            }
            int[] arr = rows.stream().mapToInt(Integer::intValue).toArray();
            shuffle(arr, rnd);
            for (int i = 0; i < shots; i++) picked.add(arr[i]);
        }
        return picked.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Holds out round(fraction·n) of {@code rows}, stratified by class so every class keeps its share. */
    public static Split validationSplit(int[] rows, int[] labels, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new BadInputException("--val-fraction must be in (0, 1), got " + fraction);
        int maxLabel = Arrays.stream(labels).max().orElse(-1);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c <= maxLabel + 1; c++) byClass.add(new ArrayList<>());
        for (int r : rows) byClass.get(labels[r] < 0 ? maxLabel + 1 : labels[r]).add(r);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x7a11da7eL);
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (List<Integer> cls : byClass) {
            int[] arr = cls.stream().mapToInt(Integer::intValue).toArray();
            shuffle(arr, rnd);
            int held = (int) Math.round(fraction * arr.length);
            for (int i = 0; i < arr.length; i++) (i < held ? val : train).add(arr[i]);
        }
        if (train.isEmpty() || val.isEmpty()) {
            throw new BadInputException("--val-fraction " + fraction + " leaves an empty train or validation split of " + rows.length + " rows");
        }
        return new Split(train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                val.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    /** A seeded permutation of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        shuffle(order, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        return order;
    }

    private static List<List<Integer>> rowsByClass(int[] labels) {
        int maxLabel = Arrays.stream(labels).max().orElse(-1);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c <= maxLabel; c++) byClass.add(new ArrayList<>());
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] >= 0) byClass.get(labels[r]).add(r);
        }
        return byClass;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
