package io.glimpse.cache.synth;

import io.glimpse.cache.TokenLayout;

/**
 * The tokens of a {@link SynthSpec}, row by row: every value is a function of (seed, split, row), so rows can be
 * made on any thread in any order and a resumed or repeated run writes the same bytes.
 *
 * <p>The model, in units of the noise (every value carries independent N(0, 1) noise; "direction" = a random unit
 * vector drawn from the seed): row r has class r mod C. Every token gets its position's direction. The CLS token
 * (the first prefix token) adds its class's CLS direction with strength 1.2·√(2 ln C), so nearest-class-mean or a
 * linear probe on CLS lands well above chance and well short of perfect for any C (the largest of C−1 noise
 * projections grows like √(2 ln C)). About one patch in four is "object": it adds a foreground direction shared by
 * all classes (strength 3, so attention can find it) and its class's patch direction with strength
 * 2·s_cls/√P, so that pooling the ~P/4 object patches recovers about the CLS strength, while the mean of all
 * patches keeps only about half of it. Other prefix tokens (registers) carry no class signal.
 */
public final class SynthTokens {
    private static final double CLS_MARGIN = 1.2;
    private static final double FOREGROUND = 3.0;
    private static final double POSITION = 1.0;
    private static final long KIND_POSITION = 0, KIND_FOREGROUND = 1, KIND_CLS = 2, KIND_PATCH = 3, KIND_ROWS = 16;

    private final SynthSpec spec;
    private final int tokens, dim, prefix, patches;
    /** [T, D]: every token's position direction, scaled; the base the row's noise is added to. */
    private final float[] position;
    /** [D]: the foreground direction, scaled. */
    private final float[] foreground;
    private final float clsScale, patchScale;

    public SynthTokens(SynthSpec spec) {
        this.spec = spec;
        TokenLayout l = spec.layout();
        this.tokens = l.tokens();
        this.dim = l.dim();
        this.prefix = l.prefixTokens();
        this.patches = l.patches();
        double unit = 1 / StrictMath.sqrt(dim);
        double cls = CLS_MARGIN * StrictMath.sqrt(2 * StrictMath.log(spec.classes()));
        this.clsScale = (float) (cls * unit);
        this.patchScale = (float) (2 * cls / StrictMath.sqrt(patches) * unit);
        SplitMix64 rng = new SplitMix64();
        this.position = new float[tokens * dim];
        float[] dir = new float[dim];
        for (int t = 0; t < tokens; t++) {
            rng.seed(SplitMix64.stream(spec.seed(), KIND_POSITION, t));
            GaussianTable.fill(rng, dir, dim, (float) (POSITION * unit));
            System.arraycopy(dir, 0, position, t * dim, dim);
        }
        this.foreground = new float[dim];
        rng.seed(SplitMix64.stream(spec.seed(), KIND_FOREGROUND, 0));
        GaussianTable.fill(rng, foreground, dim, (float) (FOREGROUND * unit));
    }

    public SynthSpec spec() {
        return spec;
    }

    public int label(int row) {
        return row % spec.classes();
    }

    /** A row maker for one thread. */
    public Rows newRows() {
        return new Rows();
    }

    /** Makes rows into a caller's array; holds the per-thread random state and scratch, so it is not thread-safe. */
    public final class Rows {
        private final SplitMix64 rng = new SplitMix64();
        private final SplitMix64 directionRng = new SplitMix64();
        private final float[] direction = new float[dim];
        private final float[] object = new float[dim];

        private Rows() {
        }

        /** Writes row {@code row}'s [T, D] tokens to {@code out} from {@code offset}. */
        public void fill(int row, float[] out, int offset) {
            int c = label(row);
            rng.seed(SplitMix64.stream(spec.seed(), KIND_ROWS + spec.splitIndex(), row));
            GaussianTable.fill(rng, out, offset, position, 0, tokens * dim);
            classDirection(KIND_CLS, c, clsScale);
            for (int i = 0; i < dim; i++) {
                out[offset + i] += direction[i];
            }
            classDirection(KIND_PATCH, c, patchScale);
            for (int i = 0; i < dim; i++) {
                object[i] = foreground[i] + direction[i];
            }
            long bits = 0;
            for (int p = 0; p < patches; p++) {
                if ((p & 31) == 0) bits = rng.next();
                boolean isObject = (bits & 3) == 0;
                bits >>>= 2;
                if (!isObject) continue;
                int at = offset + (prefix + p) * dim;
                for (int i = 0; i < dim; i++) {
                    out[at + i] += object[i];
                }
            }
        }

        private void classDirection(long kind, int c, float scale) {
            directionRng.seed(SplitMix64.stream(spec.seed(), kind, c));
            GaussianTable.fill(directionRng, direction, dim, scale);
        }
    }
}
