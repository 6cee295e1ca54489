package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One epoch over a {@link CacheView}, reading the rows of {@link EpochRows} through a {@link RowReader}: the tokens
 * for a token view, one stored vector each for a {@link CacheVectorView}. Labels are read eagerly,
 * ids and each layer's values only when asked for; token buffers are reused from batch to batch and, through the
 * cache's pool, from epoch to epoch.
 */
final class CacheBatches implements Iterator<TokenBatch> {
    private final TokenCache cache;
    private final EpochPlan plan;
    private final EpochRows epoch;
    private final RowReader reader;
    private final RowReader.Stored halves;
    private final ByteBuffer[] buffers;
    private final ByteBuffer[] halfBuffers;
    private final int rowValues;
    private Batch current;

    /** {@code halves}: reads the rows as stored float16, or null when the rows are not float16 tokens. */
    CacheBatches(TokenCache cache, CacheView view, EpochPlan plan, RowReader reader, RowReader.Stored halves, int rowValues) {
        this.cache = cache;
        this.plan = plan;
        this.epoch = new EpochRows(cache, view, plan);
        this.reader = reader;
        this.halves = halves;
        this.buffers = new ByteBuffer[cache.layers().size()];
        this.halfBuffers = new ByteBuffer[cache.layers().size()];
        this.rowValues = rowValues;
    }

    @Override
    public boolean hasNext() {
        if (epoch.hasNext()) return true;
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
            if (halfBuffers[l] != null) {
                cache.bufferPool().give(halfBuffers[l]);
                halfBuffers[l] = null;
            }
        }
    }

    @Override
    public TokenBatch next() {
        if (!hasNext()) throw new NoSuchElementException();
        EpochRows.Rows rows = epoch.next();
        current = new Batch(rows.rows(), rows.labels());
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

    private ByteBuffer halfBuffer(int layer) {
        if (halfBuffers[layer] == null) {
            long values = (long) plan.batchSize() * rowValues;
            if (values > Integer.MAX_VALUE / 2) throw new BadInputException("batch of " + plan.batchSize() + " rows x " + rowValues + " values is too large for one buffer");
            halfBuffers[layer] = cache.bufferPool().take((int) ((values + 1) / 2));
        }
        return halfBuffers[layer];
    }

    private final class Batch implements TokenBatch {
        private final int[] rows;
        private final int[] labels;
        private final boolean[] gathered = new boolean[buffers.length];
        private final boolean[] gatheredHalves = new boolean[buffers.length];
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
            if (ids == null) ids = cache.ids(rows);
            return ids;
        }

        @Override
        public FloatBuffer tokens(String layer) {
            return tokenBytes(layer).asFloatBuffer();
        }

        @Override
        public ByteBuffer tokenBytes(String layer) {
            if (current != this) throw new IllegalStateException("batch used after the next batch was requested or the epoch ended");
            int l = cache.layerIndex(layer);
            ByteBuffer buf = buffer(l);
            if (!gathered[l]) {
                reader.read(rows, rows.length, l, buf.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer());
                gathered[l] = true;
            }
            ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
            out.position(0).limit(rows.length * rowValues * Float.BYTES);
            return out;
        }

        @Override
        public ByteBuffer halfTokenBytes(String layer) {
            if (halves == null) return null;
            if (current != this) throw new IllegalStateException("batch used after the next batch was requested or the epoch ended");
            int l = cache.layerIndex(layer);
            ByteBuffer buf = halfBuffer(l);
            if (!gatheredHalves[l]) {
                halves.read(rows, rows.length, l, buf.duplicate().order(ByteOrder.LITTLE_ENDIAN));
                gatheredHalves[l] = true;
            }
            ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
            out.position(0).limit(rows.length * rowValues * 2);
            return out;
        }
    }
}
