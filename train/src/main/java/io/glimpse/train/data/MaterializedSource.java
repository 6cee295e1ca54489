package io.glimpse.train.data;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.read.SeededOrder;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A subset of another source's rows held in memory (float32): the K-shot and validation rows of a source that
 * cannot narrow itself (see {@link TrainSplits}). Built with one sequential pass over the base source. Shuffled
 * epochs use the cache reader's {@link SeededOrder#permutation} of (seed, epoch), so they are reproducible.
 */
public final class MaterializedSource implements TokenSource {
    private final TokenLayout layout;
    private final List<String> layers;
    private final int numClasses;
    private final int[] labels;
    private final String[] ids;
    private final Map<String, float[]> tokens;

    private MaterializedSource(TokenLayout layout, List<String> layers, int numClasses, int[] labels, String[] ids,
                               Map<String, float[]> tokens) {
        this.layout = layout;
        this.layers = layers;
        this.numClasses = numClasses;
        this.labels = labels;
        this.ids = ids;
        this.tokens = tokens;
    }

    /** Rows already in memory: labels, ids and float32 tokens [rows, T, D] per layer (the arrays are kept, not copied). */
    public static MaterializedSource of(TokenLayout layout, List<String> layers, int numClasses, int[] labels, String[] ids,
                                        Map<String, float[]> tokens) {
        return new MaterializedSource(layout, List.copyOf(layers), numClasses, labels, ids, new HashMap<>(tokens));
    }

    /** Copies {@code sortedRows} (ascending row numbers of {@code base}'s sequential order) of the given layers. */
    public static MaterializedSource gather(TokenSource base, int[] sortedRows, List<String> layers) {
        TokenLayout layout = base.layout();
        int rv = layout.rowValues();
        long total = (long) sortedRows.length * rv;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("subset of " + sortedRows.length + " rows is too large to hold in memory");
        }
        Map<String, float[]> tokens = new HashMap<>();
        for (String l : layers) tokens.put(l, new float[(int) total]);
        int[] labels = new int[sortedRows.length];
        String[] ids = new String[sortedRows.length];
        int next = 0;
        int row = 0;
        Iterator<TokenBatch> it = base.batches(EpochPlan.sequential(1024));
        while (it.hasNext() && next < sortedRows.length) {
            TokenBatch b = it.next();
            for (int i = 0; i < b.size() && next < sortedRows.length; i++, row++) {
                if (row != sortedRows[next]) continue;
                labels[next] = b.labels()[i];
                ids[next] = b.ids()[i];
                for (String l : layers) {
                    FloatBuffer src = b.tokens(l).duplicate();
                    src.position(i * rv);
                    src.get(tokens.get(l), next * rv, rv);
                }
                next++;
            }
        }
        if (next < sortedRows.length) throw new IllegalStateException("source ended after " + row + " rows, wanted row " + sortedRows[next]);
        return new MaterializedSource(layout, List.copyOf(layers), base.numClasses(), labels, ids, tokens);
    }

    @Override
    public TokenLayout layout() {
        return layout;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        int n = labels.length;
        int[] order = plan.shuffle() ? SeededOrder.permutation(n, plan.seed(), plan.epoch()) : null;
        int batches = plan.dropLast() ? n / plan.batchSize() : (n + plan.batchSize() - 1) / plan.batchSize();
        int rv = layout.rowValues();
        return new Iterator<>() {
            int index;

            @Override
            public boolean hasNext() {
                return index < batches;
            }

            @Override
            public TokenBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int start = index++ * plan.batchSize();
                int size = Math.min(plan.batchSize(), n - start);
                int[] bl = new int[size];
                String[] bi = new String[size];
                Map<String, FloatBuffer> bt = new HashMap<>();
                for (String l : layers) bt.put(l, FloatBuffer.allocate(size * rv));
                for (int i = 0; i < size; i++) {
                    int r = order == null ? start + i : order[start + i];
                    bl[i] = labels[r];
                    bi[i] = ids[r];
                    for (String l : layers) bt.get(l).put(tokens.get(l), r * rv, rv);
                }
                bt.values().forEach(FloatBuffer::flip);
                return new ArrayBatch(bl, bi, bt);
            }
        };
    }

    @Override
    public void close() {
        tokens.clear();
    }

    private record ArrayBatch(int[] labels, String[] ids, Map<String, FloatBuffer> buffers) implements TokenBatch {
        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public FloatBuffer tokens(String layer) {
            FloatBuffer b = buffers.get(layer);
            if (b == null) throw new IllegalArgumentException("layer " + layer + " not in this subset (have " + buffers.keySet() + ")");
            return b;
        }
    }
}
