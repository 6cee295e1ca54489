package io.glimpse.eval.knn;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.cache.vectors.VectorReadable;
import io.glimpse.eval.EvalInputException;

import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.function.IntConsumer;

/** Reads one vector per sample (CLS or patch mean of one layer) from a token source, in its stored order. */
public final class FeatureReader {
    private static final int BATCH = 1024;

    private FeatureReader() {
    }

    public static FeatureMatrix read(TokenSource source, String layer, KnnFeature feature, IntConsumer progress) {
        return read(source, layer, feature, progress, VectorBuildProgress.SILENT);
    }

    /**
     * As above; a cache source is read through its vector sidecar (built first when missing, {@code build} hears of it),
     * one stored vector per row, instead of its tokens.
     */
    public static FeatureMatrix read(TokenSource full, String layer, KnnFeature feature, IntConsumer progress, VectorBuildProgress build) {
        return readUnscaled(full, layer, feature, progress, build).normalizeRows();
    }

    /** As {@link #read}, without scaling rows to unit norm: the vectors a linear probe sees. */
    public static FeatureMatrix readUnscaled(TokenSource full, String layer, KnnFeature feature, IntConsumer progress, VectorBuildProgress build) {
        feature.check(full.layout());
        if (!full.layers().contains(layer)) {
            throw new EvalInputException("--layer '" + layer + "' is not cached; available: " + String.join(", ", full.layers()));
        }
        // the sidecar's one-token layout makes the loop below copy the CLS, or average one "patch": the stored mean
        TokenSource source = full instanceof VectorReadable v ? v.vectors(feature == KnnFeature.CLS ? VectorKind.CLS : VectorKind.PATCH_MEAN, build) : full;
        TokenLayout layout = source.layout();
        int n = source.size();
        int dim = layout.dim();
        int tokens = layout.tokens();
        float[] out = new float[Math.multiplyExact(n, dim)];
        int[] labels = new int[n];
        int row = 0;
        Iterator<TokenBatch> it = source.batches(EpochPlan.sequential(BATCH));
        while (it.hasNext()) {
            TokenBatch b = it.next();
            FloatBuffer t = b.tokens(layer);
            for (int i = 0; i < b.size(); i++, row++) {
                labels[row] = b.labels()[i];
                int base = i * tokens * dim;
                int o = row * dim;
                if (feature == KnnFeature.CLS) {
                    for (int d = 0; d < dim; d++) out[o + d] = t.get(base + d);
                } else {
                    double[] sum = new double[dim];
                    for (int p = layout.prefixTokens(); p < tokens; p++) {
                        int pb = base + p * dim;
                        for (int d = 0; d < dim; d++) sum[d] += t.get(pb + d);
                    }
                    for (int d = 0; d < dim; d++) out[o + d] = (float) (sum[d] / layout.patches());
                }
            }
            progress.accept(b.size());
        }
        if (row != n) throw new IllegalStateException("token source announced " + n + " rows but gave " + row);
        return new FeatureMatrix(out, n, dim, labels);
    }
}
