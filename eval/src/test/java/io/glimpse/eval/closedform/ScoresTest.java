package io.glimpse.eval.closedform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScoresTest {
    /**
     * Six rows of a 6-class problem, scores [rows, classes]: class 0 has three rows (two right), class 1 two (one
     * right), class 5 one (wrong, its label ranked last). Top-1 3/6; mean-per-class (2/3 + 1/2 + 0) / 3 over the
     * three classes present; top-5 5/6 (class 5's row ranks its label 6th), and so is top-2 (the wrong rows of classes 0 and 1 rank theirs 2nd).
     */
    @Test
    void accuraciesOfAHandMadeConfusion() {
        int c = 6;
        double[] scores = {
                9, 1, 0, 0, 0, 0,
                9, 1, 0, 0, 0, 0,
                1, 9, 0, 0, 0, 0,
                0, 9, 1, 0, 0, 0,
                0, 1, 9, 0, 0, 0,
                5, 4, 3, 2, 1, 0};
        int[] labels = {0, 0, 0, 1, 1, 5};
        assertEquals(50.0, Scores.top1(scores, labels, c), 1e-12);
        assertEquals(100.0 * (2.0 / 3 + 0.5 + 0) / 3, Scores.meanPerClass(scores, labels, c), 1e-12);
        assertEquals(100.0 * 5 / 6, Scores.topK(scores, labels, c, 5), 1e-12);
        assertEquals(100.0 * 5 / 6, Scores.topK(scores, labels, c, 2), 1e-12);
        assertEquals(100.0 * 3 / 6, Scores.topK(scores, labels, c, 1), 1e-12);
    }
}
