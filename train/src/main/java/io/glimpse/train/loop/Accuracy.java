package io.glimpse.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Running top-1/top-5 counts, overall and per class. A row is top-k correct when fewer than k classes score above
 * its true class. Mean-per-class accuracy averages the top-1 of every class that has a row, so a rare class counts
 * as much as a common one.
 */
final class Accuracy {
    private long rows;
    private long top1;
    private long top5;
    private long[] classRows = new long[0];
    private long[] classTop1 = new long[0];

    /** Counts one batch of logits [B, C] against one-hot labels [B, C]. */
    void add(NDArray logits, NDArray oneHot) {
        NDArray trueScore = logits.mul(oneHot).sum(new int[] {1}, true);
        int[] above = logits.gt(trueScore).sum(new int[] {1}).toType(DataType.INT32, false).toIntArray();
        int[] labels = oneHot.argMax(1).toType(DataType.INT32, false).toIntArray();
        int classes = (int) oneHot.getShape().get(1);
        if (classRows.length < classes) {
            classRows = java.util.Arrays.copyOf(classRows, classes);
            classTop1 = java.util.Arrays.copyOf(classTop1, classes);
        }
        for (int i = 0; i < above.length; i++) count(labels[i], above[i]);
    }

    /** One row of class {@code label} with {@code above} classes scoring higher than its own. */
    void count(int label, int above) {
        if (label >= classRows.length) {
            classRows = java.util.Arrays.copyOf(classRows, label + 1);
            classTop1 = java.util.Arrays.copyOf(classTop1, label + 1);
        }
        classRows[label]++;
        if (above == 0) {
            top1++;
            classTop1[label]++;
        }
        if (above < 5) top5++;
        rows++;
    }

    double top1Percent() {
        return rows == 0 ? 0 : 100.0 * top1 / rows;
    }

    double top5Percent() {
        return rows == 0 ? 0 : 100.0 * top5 / rows;
    }

    /** The top-1 of every class with at least one row, averaged over those classes; 0 without rows. */
    double meanPerClassPercent() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classRows.length; c++) {
            if (classRows[c] == 0) continue;
            sum += (double) classTop1[c] / classRows[c];
            present++;
        }
        return present == 0 ? 0 : 100.0 * sum / present;
    }
}
