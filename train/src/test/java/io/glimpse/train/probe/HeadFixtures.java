package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.glimpse.cache.TokenLayout;

import java.util.Random;

/** Small layouts and seeded random tokens for the head tests. */
final class HeadFixtures {
    /** D=32, CLS + a 4x4 grid: every head builds with its defaults (esimpool's 12 heads become 8). */
    static final TokenLayout SMALL = new TokenLayout(17, 32, 1, 4, 4);
    /** D=48, two prefix tokens + a 3x3 grid: a second shape to hold parameter formulas against real arrays. */
    static final TokenLayout OTHER = new TokenLayout(11, 48, 2, 3, 3);
    /** The embedded backbone's shape (testdata/README.md#backbone-goldens): CLS + 7x7 patches, D=128. */
    static final TokenLayout FIXTURE = new TokenLayout(50, 128, 1, 7, 7);
    /** ViT-B/16 at 224 (the D=768 column of docs/heads.md#parameter-counts): CLS + 14x14 patches, D=768. */
    static final TokenLayout VIT_B = new TokenLayout(197, 768, 1, 14, 14);

    private HeadFixtures() {
    }

    static NDArray tokens(NDManager manager, TokenLayout layout, int batch, long seed, DataType type) {
        Random random = new Random(seed);
        int n = batch * layout.rowValues();
        Shape shape = new Shape(batch, layout.tokens(), layout.dim());
        double[] v = new double[n];
        // a per-channel offset and scale, as un-normalised backbone tokens have
        double[] offset = new double[layout.dim()];
        for (int d = 0; d < offset.length; d++) offset[d] = random.nextGaussian();
        for (int i = 0; i < n; i++) v[i] = offset[i % layout.dim()] + 2 * random.nextGaussian();
        NDArray a = manager.create(v, shape);
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
    }

    static long elementCount(ProbeHead head) {
        return head.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** max |a - b| / max(max |b|, tiny). */
    static double relativeError(NDArray a, NDArray b) {
        double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] y = b.toType(DataType.FLOAT64, false).toDoubleArray();
        double diff = 0, scale = 1e-30;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(y[i]));
        }
        return diff / scale;
    }
}
