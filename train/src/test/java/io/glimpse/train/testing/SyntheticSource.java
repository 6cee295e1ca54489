package io.glimpse.train.testing;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.train.data.RowSelection;

import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A small learnable token source for tests: row r has label r % classes; every token is the class's random centre
 * plus Gaussian noise (layer "a"), layer "b" the same tokens negated. Deterministic from its seed.
 */
public final class SyntheticSource implements TokenSource {
    private final TokenLayout layout;
    private final int classes;
    private final int[] labels;
    private final float[] tokens;

    public SyntheticSource(int rows, TokenLayout layout, int classes, double noise, long seed) {
        this(rows, layout, classes, noise, seed, null);
    }

    /** With {@code labelsOverride} the labels are taken from it (e.g. to test label checks). */
    public SyntheticSource(int rows, TokenLayout layout, int classes, double noise, long seed, int[] labelsOverride) {
        this.layout = layout;
        this.classes = classes;
        Random rnd = new Random(seed);
        float[][] centres = new float[classes][layout.dim()];
        Random centreRnd = new Random(7);
        for (float[] c : centres) for (int d = 0; d < c.length; d++) c[d] = (float) centreRnd.nextGaussian();
        labels = new int[rows];
        tokens = new float[rows * layout.rowValues()];
        for (int r = 0; r < rows; r++) {
            labels[r] = labelsOverride != null ? labelsOverride[r] : r % classes;
            float[] c = centres[Math.floorMod(labels[r], classes)];
            for (int t = 0; t < layout.tokens(); t++) {
                for (int d = 0; d < layout.dim(); d++) {
                    tokens[(r * layout.tokens() + t) * layout.dim() + d] = c[d] + (float) (noise * rnd.nextGaussian());
                }
            }
        }
    }

    @Override
    public TokenLayout layout() {
        return layout;
    }

    @Override
    public List<String> layers() {
        return List.of("a", "b");
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int numClasses() {
        int max = -1;
        for (int l : labels) max = Math.max(max, l);
        return max + 1;
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        int n = labels.length;
        int[] order = plan.shuffle() ? RowSelection.permutation(n, plan.seed(), plan.epoch()) : null;
        int count = plan.dropLast() ? n / plan.batchSize() : (n + plan.batchSize() - 1) / plan.batchSize();
        int rv = layout.rowValues();
        return new Iterator<>() {
            int index;

            @Override
            public boolean hasNext() {
                return index < count;
            }

            @Override
            public TokenBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int start = index++ * plan.batchSize();
                int size = Math.min(plan.batchSize(), n - start);
                int[] bl = new int[size];
                String[] ids = new String[size];
                FloatBuffer a = FloatBuffer.allocate(size * rv);
                FloatBuffer b = FloatBuffer.allocate(size * rv);
                for (int i = 0; i < size; i++) {
                    int r = order == null ? start + i : order[start + i];
                    bl[i] = labels[r];
                    ids[i] = "row/" + r;
                    a.put(tokens, r * rv, rv);
                    for (int k = 0; k < rv; k++) b.put(-tokens[r * rv + k]);
                }
                a.flip();
                b.flip();
                return new TokenBatch() {
                    @Override
                    public int size() {
                        return size;
                    }

                    @Override
                    public int[] labels() {
                        return bl;
                    }

                    @Override
                    public String[] ids() {
                        return ids;
                    }

                    @Override
                    public FloatBuffer tokens(String layer) {
                        return switch (layer) {
                            case "a" -> a;
                            case "b" -> b;
                            default -> throw new IllegalArgumentException(layer);
                        };
                    }
                };
            }
        };
    }

    @Override
    public void close() {
    }
}
