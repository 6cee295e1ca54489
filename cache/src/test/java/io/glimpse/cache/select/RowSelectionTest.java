package io.glimpse.cache.select;

import io.glimpse.cache.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowSelectionTest {
    /** Row r has label (7r) mod classes: every class, interleaved. */
    private static int[] labels(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = (i * 7) % classes;
        return l;
    }

    private static int[] perClass(int[] labels, int[] rows, int classes) {
        int[] counts = new int[classes];
        for (int r : rows) counts[labels[r]]++;
        return counts;
    }

    private static boolean ascending(int[] a) {
        for (int i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
        return true;
    }

    @Test
    void shotsAreClassBalancedSeededAndAscending() {
        int[] labels = labels(100, 4);
        int[] a = new RowSelection(0, 3, 0, 0).choose(labels).train();
        assertEquals(12, a.length);
        assertArrayEquals(new int[] {3, 3, 3, 3}, perClass(labels, a, 4));
        assertTrue(ascending(a));
        assertArrayEquals(a, new RowSelection(0, 3, 0, 0).choose(labels).train());
        assertFalse(Arrays.equals(a, new RowSelection(0, 3, 0, 1).choose(labels).train()), "another seed draws other rows");
        assertEquals(0, new RowSelection(0, 3, 0, 0).choose(labels).validation().length);
    }

    @Test
    void aClassWithFewerRowsThanShotsIsRefusedNamingClassShotsAndCount() {
        int[] labels = labels(100, 4);
        labels[1] = 0; // class 3 keeps 24 rows, class 0 gets 26
        new RowSelection(0, 24, 0, 0).choose(labels);
        BadInputException e = assertThrows(BadInputException.class, () -> new RowSelection(0, 25, 0, 0).choose(labels));
        assertTrue(e.getMessage().contains("class 3 has 24 rows") && e.getMessage().contains("25 shots"), e.getMessage());
    }

    @Test
    void unlabelledRowsAreNeverShots() {
        int[] labels = labels(40, 2);
        for (int i = 0; i < 40; i += 3) labels[i] = -1;
        for (int r : new RowSelection(0, 5, 0, 9).choose(labels).train()) assertTrue(labels[r] >= 0);
    }

    @Test
    void holdOutIsStratifiedDisjointCompleteAndSeeded() {
        int[] labels = labels(100, 4);
        RowSelection.Rows s = new RowSelection(0, 0, 0.2, 5).choose(labels);
        assertEquals(20, s.validation().length);
        assertEquals(80, s.train().length);
        assertTrue(ascending(s.train()) && ascending(s.validation()));
        Set<Integer> all = new HashSet<>();
        for (int r : s.train()) all.add(r);
        for (int r : s.validation()) assertTrue(all.add(r), "row " + r + " both trained on and held out");
        assertEquals(100, all.size());
        assertArrayEquals(new int[] {5, 5, 5, 5}, perClass(labels, s.validation(), 4));
        assertArrayEquals(s.validation(), new RowSelection(0, 0, 0.2, 5).choose(labels).validation());
        assertFalse(Arrays.equals(s.validation(), new RowSelection(0, 0, 0.2, 6).choose(labels).validation()));
    }

    @Test
    void limitThenShotsThenHoldOutFromTheShots() {
        int[] labels = labels(400, 4);
        int[] shots = new RowSelection(200, 10, 0, 3).choose(labels).train();
        for (int r : shots) assertTrue(r < 200, "row " + r + " beyond the limit");
        RowSelection.Rows split = new RowSelection(200, 10, 0.3, 3).choose(labels);
        int[] union = new int[split.train().length + split.validation().length];
        System.arraycopy(split.train(), 0, union, 0, split.train().length);
        System.arraycopy(split.validation(), 0, union, split.train().length, split.validation().length);
        Arrays.sort(union);
        assertArrayEquals(shots, union, "the hold-out is taken from the K-shot rows");
        assertArrayEquals(new int[] {3, 3, 3, 3}, perClass(labels, split.validation(), 4));
    }

    @Test
    void badFractionsAndHoldOutsThatEmptyASideAreRefused() {
        int[] labels = labels(10, 2);
        assertThrows(BadInputException.class, () -> new RowSelection(0, 0, 1.0, 0));
        assertThrows(BadInputException.class, () -> new RowSelection(0, -1, 0, 0));
        BadInputException e = assertThrows(BadInputException.class, () -> new RowSelection(0, 1, 0.4, 0).choose(labels));
        assertTrue(e.getMessage().contains("held out"), e.getMessage());
    }
}
