package io.glimpse.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccuracyTest {
    /** Logits for one row of {@code classes} classes in which {@code ranked} come first, in that order. */
    private static float[] ranking(int classes, int... ranked) {
        float[] row = new float[classes];
        for (int i = 0; i < ranked.length; i++) row[ranked[i]] = classes - i;
        return row;
    }

    private static void add(Accuracy acc, NDManager m, int classes, int[] labels, float[][] logits) {
        float[] flat = new float[labels.length * classes];
        float[] hot = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(logits[i], 0, flat, i * classes, classes);
            hot[i * classes + labels[i]] = 1;
        }
        NDArray l = m.create(flat, new ai.djl.ndarray.types.Shape(labels.length, classes));
        NDArray y = m.create(hot, new ai.djl.ndarray.types.Shape(labels.length, classes));
        acc.add(l, y);
    }

    /**
     * A hand-made confusion over 7 classes: class 0 has 4 rows (3 right), class 1 one row (wrong, its label ranked
     * 2nd), class 2 one row (wrong, ranked 6th), class 3 two rows (both right), classes 4-6 none. Top-1 = 5/8;
     * mean-per-class = (3/4 + 0 + 0 + 1) / 4, not over the 3 absent classes; top-5: all but class 2's row, 7/8.
     */
    @Test
    void top1Top5AndMeanPerClassOfAHandMadeConfusion() {
        int c = 7;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Accuracy acc = new Accuracy();
            add(acc, m, c, new int[]{0, 0, 0, 1}, new float[][]{
                    ranking(c, 0), ranking(c, 0, 1), ranking(c, 3, 0), ranking(c, 4, 1)});
            // a second batch: the counts run across batches
            add(acc, m, c, new int[]{0, 2, 3, 3}, new float[][]{
                    ranking(c, 0), ranking(c, 0, 1, 3, 4, 5, 2), ranking(c, 3), ranking(c, 3, 0)});
            assertEquals(100.0 * 5 / 8, acc.top1Percent(), 1e-12);
            assertEquals(100.0 * 7 / 8, acc.top5Percent(), 1e-12);
            assertEquals(100.0 * (0.75 + 0 + 0 + 1) / 4, acc.meanPerClassPercent(), 1e-12);
        }
    }

    @Test
    void balancedClassesGiveTheSameMeanPerClassAsTop1AndNoRowsGiveZero() {
        int c = 3;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Accuracy acc = new Accuracy();
            assertEquals(0, acc.meanPerClassPercent());
            add(acc, m, c, new int[]{0, 0, 1, 1, 2, 2}, new float[][]{
                    ranking(c, 0), ranking(c, 1), ranking(c, 1), ranking(c, 1), ranking(c, 0), ranking(c, 1)});
            assertEquals(50.0, acc.top1Percent(), 1e-12);
            assertEquals(50.0, acc.meanPerClassPercent(), 1e-12);
        }
    }
}
