package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.read.SeededOrder;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The rows one epoch over a {@link CacheView} reads, batch by batch. The image order comes from the plan (a seeded
 * permutation of (seed, epoch) or stored order); for multi-view entries each image's view is drawn from
 * (seed, epoch, image), or is view 0 for a held-out view. Token batches and vector batches both walk this, so a
 * pass over the vector sidecar reads the same rows in the same order as the token pass it stands in for.
 */
final class EpochRows implements Iterator<EpochRows.Rows> {
    /** One batch: entry rows (image * views + view) and their images' labels. */
    record Rows(int[] rows, int[] labels) {
    }

    private final TokenCache cache;
    private final CacheView view;
    private final EpochPlan plan;
    private final int[] order;
    private final int batches;
    private int next;

    EpochRows(TokenCache cache, CacheView view, EpochPlan plan) {
        this.cache = cache;
        this.view = view;
        this.plan = plan;
        int n = view.size();
        this.order = plan.shuffle() ? SeededOrder.permutation(n, plan.seed(), plan.epoch()) : identity(n);
        this.batches = plan.dropLast() ? n / plan.batchSize() : (n + plan.batchSize() - 1) / plan.batchSize();
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public boolean hasNext() {
        return next < batches;
    }

    @Override
    public Rows next() {
        if (!hasNext()) throw new NoSuchElementException();
        int from = next * plan.batchSize();
        int b = Math.min(plan.batchSize(), order.length - from);
        int[] rows = new int[b];
        int[] labels = new int[b];
        int views = cache.views();
        for (int i = 0; i < b; i++) {
            int image = view.image(order[from + i]);
            rows[i] = image * views + (view.plainView() ? 0 : SeededOrder.view(plan.seed(), plan.epoch(), image, views));
            labels[i] = cache.imageLabel(image);
        }
        next++;
        return new Rows(rows, labels);
    }
}
