package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One epoch over a {@link CacheVectorView}: the rows of {@link EpochRows}, as {@link CacheBatches} reads them for
 * the same view and plan, each row's tokens replaced by one stored vector [B, 1, D]. Buffers are reused from batch
 * to batch and, through the cache's pool, from epoch to epoch.
 */
final class VectorBatches implements Iterator<TokenBatch> {
    private final TokenCache cache;
    private final EpochPlan plan;
    private final VectorKind kind;
    private final MappedVectors vectors;
    private final EpochRows epoch;
    private final ByteBuffer[] buffers;
    private final int dim;
    private Batch current;

    VectorBatches(TokenCache cache, CacheView view, EpochPlan plan, VectorKind kind, MappedVectors vectors) {
        this.cache = cache;
        this.plan = plan;
        this.kind = kind;
        this.vectors = vectors;
        this.epoch = new EpochRows(cache, view, plan);
        this.buffers = new ByteBuffer[cache.layers().size()];
        this.dim = cache.layout().dim();
    }

    @Override
    public boolean hasNext() {
        if (epoch.hasNext()) return true;
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
        EpochRows.Rows rows = epoch.next();
        current = new Batch(rows.rows(), rows.labels());
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
