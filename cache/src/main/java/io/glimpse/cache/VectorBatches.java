package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.SeededOrder;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One epoch over a {@link CacheVectorView}: the image order and view draws of {@link CacheBatches} (same plan, same
 * rows), each row's tokens replaced by one stored vector [B, 1, D]. Buffers are reused from batch to batch and,
 * through the cache's pool, from epoch to epoch.
 */
final class VectorBatches implements Iterator<TokenBatch> {
    private final TokenCache cache;
    private final CacheView view;
    private final EpochPlan plan;
    private final VectorKind kind;
    private final MappedVectors vectors;
    private final int[] order;
    private final int batches;
    private final ByteBuffer[] buffers;
    private final int dim;
    private int next;
    private Batch current;

    VectorBatches(TokenCache cache, CacheView view, EpochPlan plan, VectorKind kind, MappedVectors vectors) {
        this.cache = cache;
        this.view = view;
        this.plan = plan;
        this.kind = kind;
        this.vectors = vectors;
        int n = view.size();
        this.order = plan.shuffle() ? SeededOrder.permutation(n, plan.seed(), plan.epoch()) : identity(n);
        this.batches = plan.dropLast() ? n / plan.batchSize() : (n + plan.batchSize() - 1) / plan.batchSize();
        this.buffers = new ByteBuffer[cache.layers().size()];
        this.dim = cache.layout().dim();
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Override
    public boolean hasNext() {
        if (next < batches) return true;
        current = null;
        for (int l = 0; l < buffers.length; l++) {
            if (buffers[l] != null) {
                cache.bufferPool().give(buffers[l]);
                buffers[l] = null;
            }
        }
        return false;
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
                for (int i = 0; i < rows.length; i++) ids[i] = cache.id(rows[i]);
            }
            return ids;
        }

        @Override
        public FloatBuffer tokens(String layer) {
            return tokenBytes(layer).asFloatBuffer();
        }

        @Override
        public ByteBuffer tokenBytes(String layer) {
            if (current != this) throw new IllegalStateException("vector batch used after the next batch was requested or the epoch ended");
            int l = cache.layerIndex(layer);
            if (buffers[l] == null) buffers[l] = cache.bufferPool().take(Math.multiplyExact(plan.batchSize(), dim));
            if (!gathered[l]) {
                vectors.gather(rows, rows.length, l, kind, buffers[l].duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer());
                gathered[l] = true;
            }
            ByteBuffer out = buffers[l].duplicate().order(ByteOrder.nativeOrder());
            out.position(0).limit(rows.length * dim * Float.BYTES);
            return out;
        }
    }
}
