package io.glimpse.cache.synth;

/**
 * Standard normal values at the cost of a table lookup: the 65,536 quantiles Φ⁻¹((i + ½) / 65536), so one 64-bit
 * random number gives four values. The distribution is the normal one discretised, with tails cut at ±4.3σ, which
 * is all synthetic tokens need; the table is computed with {@link StrictMath}, so every JVM gets the same bits.
 */
final class GaussianTable {
    private static final float[] QUANTILES = build();

    private GaussianTable() {
    }

    /** {@code out[off + i] = base[baseOff + i] + z_i} for {@code i < n}, {@code z_i} standard normal from {@code rng}. */
    static void fill(SplitMix64 rng, float[] out, int off, float[] base, int baseOff, int n) {
        float[] q = QUANTILES;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long z = rng.next();
            out[off + i] = base[baseOff + i] + q[(int) z & 0xffff];
            out[off + i + 1] = base[baseOff + i + 1] + q[(int) (z >>> 16) & 0xffff];
            out[off + i + 2] = base[baseOff + i + 2] + q[(int) (z >>> 32) & 0xffff];
            out[off + i + 3] = base[baseOff + i + 3] + q[(int) (z >>> 48)];
        }
        if (i < n) {
            long z = rng.next();
            for (; i < n; i++, z >>>= 16) {
                out[off + i] = base[baseOff + i] + q[(int) z & 0xffff];
            }
        }
    }

    /** {@code out[i] = scale * z_i} for {@code i < n}. */
    static void fill(SplitMix64 rng, float[] out, int n, float scale) {
        float[] q = QUANTILES;
        for (int i = 0; i < n; i += 4) {
            long z = rng.next();
            for (int k = i; k < Math.min(i + 4, n); k++, z >>>= 16) {
                out[k] = scale * q[(int) z & 0xffff];
            }
        }
    }

    /** The i-th quantile, for tests. */
    static float quantile(int i) {
        return QUANTILES[i];
    }

    static int size() {
        return QUANTILES.length;
    }

    private static float[] build() {
        float[] t = new float[1 << 16];
        for (int i = 0; i < t.length / 2; i++) {
            float x = (float) inverseNormal((i + 0.5) / t.length);
            t[i] = x;
            t[t.length - 1 - i] = -x; // exactly symmetric: the mean is exactly zero
        }
        return t;
    }

    /** Acklam's rational approximation of Φ⁻¹ for p in (0, ½], relative error below 1.2e-9. */
    private static double inverseNormal(double p) {
        if (p < 0.02425) {
            double q = StrictMath.sqrt(-2 * StrictMath.log(p));
            return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
                    + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                    / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
                - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
                - 1.328068155288572e+01) * r + 1);
    }
}
