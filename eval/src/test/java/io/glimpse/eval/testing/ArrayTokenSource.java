package io.glimpse.eval.testing;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** An in-memory token source of one layer, rows in order, for tests: tokens [n, T, D] in a float array. */
public final class ArrayTokenSource implements TokenSource {
    public static final String LAYER = "hidden";
    private final TokenLayout layout;
    private final float[] tokens;
    private final int[] labels;

    public ArrayTokenSource(TokenLayout layout, float[] tokens, int[] labels) {
        if ((long) labels.length * layout.rowValues() != tokens.length) throw new IllegalArgumentException("shape");
        this.layout = layout;
        this.tokens = tokens;
        this.labels = labels;
    }

    @Override
    public TokenLayout layout() {
        return layout;
    }

    @Override
    public List<String> layers() {
        return List.of(LAYER);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int numClasses() {
        int m = -1;
        for (int l : labels) m = Math.max(m, l);
        return m + 1;
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        return new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                return next < labels.length;
            }

            @Override
            public TokenBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next;
                int n = Math.min(plan.batchSize(), labels.length - from);
                next += n;
                int row = layout.rowValues();
                FloatBuffer buf = ByteBuffer.allocateDirect(n * row * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                buf.put(tokens, from * row, n * row).flip();
                int[] l = java.util.Arrays.copyOfRange(labels, from, from + n);
                String[] ids = new String[n];
                for (int i = 0; i < n; i++) ids[i] = "row/" + (from + i);
                return new TokenBatch() {
                    public int size() { return n; }
                    public int[] labels() { return l; }
                    public String[] ids() { return ids; }
                    public FloatBuffer tokens(String layer) { return buf.duplicate(); }
                };
            }
        };
    }

    @Override
    public void close() {
    }
}
