package io.glimpse.train.data;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;

import java.util.Iterator;

/** Labels of every row of a source, in its sequential order (one pass). */
public final class LabelScan {
    private LabelScan() {
    }

    public static int[] labels(TokenSource source) {
        int[] labels = new int[source.size()];
        int row = 0;
        Iterator<TokenBatch> it = source.batches(EpochPlan.sequential(4096));
        while (it.hasNext()) {
            TokenBatch b = it.next();
            int[] l = b.labels();
            if (row + l.length > labels.length) throw new IllegalStateException("source yielded more rows than its size " + labels.length);
            System.arraycopy(l, 0, labels, row, l.length);
            row += l.length;
        }
        if (row != labels.length) throw new IllegalStateException("source yielded " + row + " rows, size says " + labels.length);
        return labels;
    }
}
