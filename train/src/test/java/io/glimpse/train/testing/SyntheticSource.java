package io.glimpse.train.testing;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.train.data.MaterializedSource;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small learnable token source for tests: row r has label r % classes; every token is the class's random centre
 * plus Gaussian noise (layer "a"), layer "b" the same tokens negated. Deterministic from its seed. The rows are
 * served by {@link MaterializedSource}, the in-memory source train itself uses.
 */
public final class SyntheticSource implements TokenSource {
    private final MaterializedSource rows;

    public SyntheticSource(int rows, TokenLayout layout, int classes, double noise, long seed) {
        this(rows, layout, classes, noise, seed, null);
    }

    /** With {@code labelsOverride} the labels are taken from it (e.g. to test label checks). */
    public SyntheticSource(int rows, TokenLayout layout, int classes, double noise, long seed, int[] labelsOverride) {
        Random rnd = new Random(seed);
        float[][] centres = new float[classes][layout.dim()];
        Random centreRnd = new Random(7);
        for (float[] c : centres) for (int d = 0; d < c.length; d++) c[d] = (float) centreRnd.nextGaussian();
        int[] labels = new int[rows];
        String[] ids = new String[rows];
        float[] a = new float[rows * layout.rowValues()];
        float[] b = new float[a.length];
        int max = -1;
        for (int r = 0; r < rows; r++) {
            labels[r] = labelsOverride != null ? labelsOverride[r] : r % classes;
            max = Math.max(max, labels[r]);
            ids[r] = "row/" + r;
            float[] c = centres[Math.floorMod(labels[r], classes)];
            for (int t = 0; t < layout.tokens(); t++) {
                for (int d = 0; d < layout.dim(); d++) {
                    int k = (r * layout.tokens() + t) * layout.dim() + d;
                    a[k] = c[d] + (float) (noise * rnd.nextGaussian());
                    b[k] = -a[k];
                }
            }
        }
        this.rows = MaterializedSource.of(layout, List.of("a", "b"), max + 1, labels, ids, Map.of("a", a, "b", b));
    }

    @Override
    public TokenLayout layout() {
        return rows.layout();
    }

    @Override
    public List<String> layers() {
        return List.of("a", "b");
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public int numClasses() {
        return rows.numClasses();
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        return rows.batches(plan);
    }

    @Override
    public void close() {
    }
}
