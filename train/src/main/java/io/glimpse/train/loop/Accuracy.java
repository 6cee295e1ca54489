package io.glimpse.train.loop;

import ai.djl.ndarray.NDArray;

/** Running top-1/top-5 counts. A row is top-k correct when fewer than k classes score above its true class. */
final class Accuracy {
    private long rows;
    private long top1;
    private long top5;

    /** Counts one batch of logits [B, C] against one-hot labels [B, C]. */
    void add(NDArray logits, NDArray oneHot) {
        NDArray trueScore = logits.mul(oneHot).sum(new int[] {1}, true);
        int[] above = logits.gt(trueScore).sum(new int[] {1}).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        for (int a : above) {
            if (a == 0) top1++;
            if (a < 5) top5++;
        }
        rows += above.length;
    }

    double top1Percent() {
        return rows == 0 ? 0 : 100.0 * top1 / rows;
    }

    double top5Percent() {
        return rows == 0 ? 0 : 100.0 * top5 / rows;
    }
}
