package io.glimpse.cache.half;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * IEEE 754 binary16 ("half") conversion. Java 17 has no Float.floatToFloat16, so this is done by hand:
 * float to half rounds to nearest, ties to even, keeps subnormals, saturates to infinity on overflow and keeps
 * NaN a NaN (quiet, sign and top payload bits kept). Half to float is exact and uses a 65,536-entry table, which
 * is the fastest portable way to widen a batch of tokens on the read path.
 */
public final class Float16 {
    private static final float[] TO_FLOAT = buildTable();

    private Float16() {
    }

    /** Exact widening of a half given as its 16 raw bits. */
    public static float toFloat(short half) {
        return TO_FLOAT[half & 0xffff];
    }

    /** Float to half bits, round to nearest even. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x38800000 && abs < 0x477ff000) {
            // Fast path, [2^-14, 65520): the result is a normal half. Adding 0xfff plus the kept LSB, then dropping
            // 13 bits, rounds to nearest even; a carry into the exponent is correct; then rebias 127 -> 15.
            return (short) (sign | (((abs + 0xfff + ((abs >>> 13) & 1)) >>> 13) - (112 << 10)));
        }
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            // Infinity stays infinity; NaN keeps its top payload bits and is forced quiet so it cannot become inf.
            return (short) (mant == 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {
            // Half subnormal (or zero): value = m * 2^-24 with m = mant24 >> (14 - e); below 2^-25 it rounds to 0.
            if (e < -10) return (short) sign;
            int mant24 = mant | 0x800000;
            int shift = 14 - e;
            int m = mant24 >>> shift;
            int rem = mant24 & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (m & 1) != 0)) m++; // may carry into the smallest normal: correct
            return (short) (sign | m);
        }
        int h = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) h++; // a carry into the exponent, even to inf, is correct
        return (short) (sign | h);
    }

    /** Widens {@code n} halves from {@code src} (absolute index {@code from}) into {@code dst} at {@code to}. */
    public static void toFloat(ShortBuffer src, int from, FloatBuffer dst, int to, int n, short[] scratchHalf, float[] scratchFloat) {
        int done = 0;
        int chunk = Math.min(scratchHalf.length, scratchFloat.length);
        float[] table = TO_FLOAT;
        while (done < n) {
            int len = Math.min(chunk, n - done);
            src.get(from + done, scratchHalf, 0, len);
            for (int i = 0; i < len; i++) {
                scratchFloat[i] = table[scratchHalf[i] & 0xffff];
            }
            dst.put(to + done, scratchFloat, 0, len);
            done += len;
        }
    }

    /**
     * Narrows {@code n} floats from {@code src} (absolute index {@code from}) into {@code dst} at {@code to}, through
     * the caller's scratch arrays: bulk copies in and out keep the per-value loop free of buffer bounds checks.
     */
    public static void fromFloat(FloatBuffer src, int from, ShortBuffer dst, int to, int n, float[] scratchFloat, short[] scratchHalf) {
        int chunk = Math.min(scratchHalf.length, scratchFloat.length);
        int done = 0;
        while (done < n) {
            int len = Math.min(chunk, n - done);
            src.get(from + done, scratchFloat, 0, len);
            for (int i = 0; i < len; i++) {
                scratchHalf[i] = fromFloat(scratchFloat[i]);
            }
            dst.put(to + done, scratchHalf, 0, len);
            done += len;
        }
    }

    private static float[] buildTable() {
        float[] t = new float[1 << 16];
        for (int h = 0; h < t.length; h++) {
            t[h] = widen(h);
        }
        return t;
    }

    private static float widen(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal halves are exact multiples of 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
