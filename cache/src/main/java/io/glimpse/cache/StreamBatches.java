package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.StreamReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One epoch over a {@link CacheView} in stream mode: the rows of {@link EpochRows}, the same as the mapped
 * {@link CacheBatches} reads, with the reads of the next {@link #depth} batches already issued to the
 * {@link StreamReader} while the consumer works on the current one. A layer is prefetched from the first batch it is
 * asked for on. Memory: per layer asked for, depth + 1 batch buffers of B x T x D floats (the current batch and those
 * ahead), taken from and returned to the cache's pool; nothing grows with the entry.
 */
final class StreamBatches implements Iterator<TokenBatch> {
    private final TokenCache cache;
    private final EpochPlan plan;
    private final EpochRows epoch;
    private final StreamReader reader;
    private final int rowValues;
    private final int depth;
    private final boolean[] wanted;
    private final ArrayDeque<ByteBuffer>[] free;
    private final ArrayDeque<Slot> ahead = new ArrayDeque<>();
    private Slot current;

    /** One batch's rows and, per layer, its buffer and the reads filling it (null until the layer is wanted). */
    private final class Slot {
        final int[] rows;
        final int[] labels;
        final ByteBuffer[] buffers = new ByteBuffer[wanted.length];
        final StreamReader.Pending[] pending = new StreamReader.Pending[wanted.length];

        Slot(EpochRows.Rows rows) {
            this.rows = rows.rows();
            this.labels = rows.labels();
            for (int l = 0; l < wanted.length; l++) {
                if (wanted[l]) issue(l);
            }
        }

        void issue(int layer) {
            if (pending[layer] != null) return;
            buffers[layer] = take(layer);
            pending[layer] = reader.submit(rows, rows.length, layer, buffers[layer]);
        }

        /** Waits for reads nobody may have asked for (their errors too: the batch is done), then frees the buffers. */
        void retire() {
            for (int l = 0; l < wanted.length; l++) {
                if (pending[l] == null) continue;
                try {
                    pending[l].await();
                } catch (RuntimeException e) {
                    // a layer the consumer did not read in this batch; the next batch it reads reports its own failure
                }
                free[l].add(buffers[l]);
                buffers[l] = null;
                pending[l] = null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    StreamBatches(TokenCache cache, CacheView view, EpochPlan plan, StreamReader reader, int rowValues) {
        this.cache = cache;
        this.plan = plan;
        this.epoch = new EpochRows(cache, view, plan);
        this.reader = reader;
        this.rowValues = rowValues;
        this.depth = depth(plan.batchSize(), reader.threads());
        int layers = cache.layers().size();
        this.wanted = new boolean[layers];
        this.free = new ArrayDeque[layers];
        for (int l = 0; l < layers; l++) free[l] = new ArrayDeque<>();
    }

    /** Batches read ahead: two, or (up to 16) enough small batches to give every read thread a few rows. */
    static int depth(int batchSize, int threads) {
        return Math.max(2, Math.min(16, (4 * threads + batchSize - 1) / batchSize));
    }

    /** Bytes of batch buffers an epoch holds per layer it reads: (depth + 1) x B x T x D x 4. */
    static long bufferBytesPerLayer(int batchSize, int rowValues, int threads) {
        return (depth(batchSize, threads) + 1L) * batchSize * rowValues * Float.BYTES;
    }

    private ByteBuffer take(int layer) {
        ByteBuffer b = free[layer].poll();
        if (b != null) return b;
        long values = (long) plan.batchSize() * rowValues;
        if (values > Integer.MAX_VALUE / 4) throw new BadInputException("batch of " + plan.batchSize() + " rows x " + rowValues + " values is too large for one buffer");
        return cache.bufferPool().take((int) values);
    }

    @Override
    public boolean hasNext() {
        if (!ahead.isEmpty() || epoch.hasNext()) return true;
        release();
        return false;
    }

    /** At the end of the epoch every buffer goes back to the cache's pool; the last batch is retired with them. */
    private void release() {
        if (current != null) {
            current.retire();
            current = null;
        }
        for (ArrayDeque<ByteBuffer> f : free) {
            while (!f.isEmpty()) cache.bufferPool().give(f.poll());
        }
    }

    @Override
    public TokenBatch next() {
        if (!hasNext()) throw new NoSuchElementException();
        if (current != null) current.retire();
        current = ahead.isEmpty() ? new Slot(epoch.next()) : ahead.poll();
        while (ahead.size() < depth && epoch.hasNext()) ahead.add(new Slot(epoch.next()));
        return new Batch(current);
    }

    private final class Batch implements TokenBatch {
        private final Slot slot;
        private String[] ids;

        Batch(Slot slot) {
            this.slot = slot;
        }

        @Override
        public int size() {
            return slot.rows.length;
        }

        @Override
        public int[] labels() {
            return slot.labels;
        }

        @Override
        public String[] ids() {
            if (ids == null) ids = cache.ids(slot.rows);
            return ids;
        }

        @Override
        public FloatBuffer tokens(String layer) {
            return tokenBytes(layer).asFloatBuffer();
        }

        @Override
        public ByteBuffer tokenBytes(String layer) {
            if (current != slot) throw new IllegalStateException("batch used after the next batch was requested or the epoch ended");
            int l = cache.layerIndex(layer);
            if (!wanted[l]) {
                wanted[l] = true;
                slot.issue(l);
                for (Slot s : ahead) s.issue(l);
            }
            slot.pending[l].await();
            ByteBuffer out = slot.buffers[l].duplicate().order(ByteOrder.nativeOrder());
            out.position(0).limit(slot.rows.length * rowValues * Float.BYTES);
            return out;
        }
    }
}
