package io.glimpse.train.data;

import io.glimpse.cache.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowSelectionTest {
    private static int[] labels(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = (i * 7) % classes;
        return l;
    }

    @Test
    void shotsAreClassBalancedSeededAndSorted() {
        int[] labels = labels(100, 4);
        int[] a = RowSelection.shotsPerClass(labels, 3, 0);
        assertEquals(12, a.length);
        int[] perClass = new int[4];
        for (int r : a) perClass[labels[r]]++;
        assertArrayEquals(new int[] {3, 3, 3, 3}, perClass);
        assertArrayEquals(a, RowSelection.shotsPerClass(labels, 3, 0));
        assertNotEquals(Arrays.toString(a), Arrays.toString(RowSelection.shotsPerClass(labels, 3, 1)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
        assertThrows(BadInputException.class, () -> RowSelection.shotsPerClass(labels, 26, 0));
    }

    @Test
    void validationSplitIsDisjointStratifiedAndComplete() {
        int[] labels = labels(100, 4);
        int[] rows = new int[100];
        for (int i = 0; i < 100; i++) rows[i] = i;
        RowSelection.Split s = RowSelection.validationSplit(rows, labels, 0.2, 5);
        assertEquals(20, s.validation().length);
        assertEquals(80, s.train().length);
        Set<Integer> all = new HashSet<>();
        for (int r : s.train()) all.add(r);
        for (int r : s.validation()) assertEquals(true, all.add(r));
        assertEquals(100, all.size());
        int[] perClass = new int[4];
        for (int r : s.validation()) perClass[labels[r]]++;
        assertArrayEquals(new int[] {5, 5, 5, 5}, perClass);
        assertThrows(BadInputException.class, () -> RowSelection.validationSplit(rows, labels, 1.0, 0));
    }

    @Test
    void permutationIsAPermutationThatDependsOnSeedAndEpoch() {
        int[] p = RowSelection.permutation(50, 1, 0);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertArrayEquals(p, RowSelection.permutation(50, 1, 0));
        assertNotEquals(Arrays.toString(p), Arrays.toString(RowSelection.permutation(50, 1, 1)));
        assertNotEquals(Arrays.toString(p), Arrays.toString(RowSelection.permutation(50, 2, 0)));
    }
}
