package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.Gatherer;
import io.glimpse.cache.read.SeededOrder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One epoch over a {@link CacheView}. The order of images comes from the plan (a seeded permutation or stored
 * order); for multi-view entries each image's view is drawn from (seed, epoch, image), or is view 0 for a held-out
 * view. Labels are read eagerly,
 * ids and each layer's tokens only when asked for; token buffers are reused from batch to batch and, through the
 * cache's pool, from epoch to epoch.
 */
final class CacheBatches implements Iterator<TokenBatch> {
    private final TokenCache cache;
    private final CacheView view;
    private final EpochPlan plan;
    private final int[] order;
    private final int batches;
    private final Gatherer gatherer;
    private final ByteBuffer[] buffers;
    private final int rowValues;
    private int next;
    private Batch current;

    CacheBatches(TokenCache cache, CacheView view, EpochPlan plan) {
        this.cache = cache;
        this.view = view;
        this.plan = plan;
        int n = view.size();
        this.order = plan.shuffle() ? SeededOrder.permutation(n, plan.seed(), plan.epoch()) : identity(n);
        this.batches = plan.dropLast() ? n / plan.batchSize() : (n + plan.batchSize() - 1) / plan.batchSize();
        this.gatherer = cache.newGatherer();
        this.buffers = new ByteBuffer[cache.layers().size()];
        this.rowValues = cache.layout().rowValues();
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
        if (next < batches) return true;
        release();
        return false;
    }

    /**
     * At the end of the epoch the buffers go back to the cache's pool for the next epoch; the last batch is retired
     * with them, so using it afterwards fails loudly instead of reading another epoch's tokens.
     */
    private void release() {
        current = null;
        for (int l = 0; l < buffers.length; l++) {
            if (buffers[l] != null) {
                cache.bufferPool().give(buffers[l]);
                buffers[l] = null;
            }
        }
    }

    @Override
    public TokenBatch next() {
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
        current = new Batch(rows, labels);
        return current;
    }

    private ByteBuffer buffer(int layer) {
        if (buffers[layer] == null) {
            long values = (long) plan.batchSize() * rowValues;
            if (values > Integer.MAX_VALUE / 4) throw new BadInputException("batch of " + plan.batchSize() + " rows x " + rowValues + " values is too large for one buffer");
            buffers[layer] = cache.bufferPool().take((int) values);
        }
        return buffers[layer];
    }

    private final class Batch implements TokenBatch {
        private final int[] rows;
        private final int[] labels;
        private final boolean[] gathered = new boolean[buffers.length];
        private String[] ids;

        Batch(int[] rows, int[] labels) {
            this.rows = rows;
            this.labels = labels;
        }

        @Override
        public int size() {
            return rows.length;
        }

        @Override
        public int[] labels() {
            return labels;
        }

        @Override
        public String[] ids() {
            if (ids == null) {
                ids = new String[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    ids[i] = cache.id(rows[i]);
                }
            }
            return ids;
        }

        @Override
        public FloatBuffer tokens(String layer) {
            return tokenBytes(layer).asFloatBuffer();
        }

        @Override
        public ByteBuffer tokenBytes(String layer) {
            if (current != this) throw new IllegalStateException("token batch used after the next batch was requested or the epoch ended");
            int l = cache.layerIndex(layer);
            ByteBuffer buf = buffer(l);
            if (!gathered[l]) {
                gatherer.gather(rows, rows.length, l, buf.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer());
                gathered[l] = true;
            }
            ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
            out.position(0).limit(rows.length * rowValues * Float.BYTES);
            return out;
        }
    }
}
