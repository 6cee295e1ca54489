package io.glimpse.cache.half;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Bulk float → half narrowing with exactly {@link Float16#fromFloat(float)}'s bits, a few times faster. Java 17 has
 * no {@code Float.floatToFloat16} and its auto-vectoriser handles neither branches nor float/int reinterpretation, so
 * each chunk goes through loops it does vectorise or that are plain copies: the floats' raw bits are bulk-copied
 * into an {@code int[]}; a branch-free integer loop computes every value whose magnitude is at least 2^-14 (normal
 * halves, overflow to infinity, NaN) and flags the chunk if any value is smaller; a copy narrows to shorts; and only
 * for a flagged chunk a scalar pass redoes the zeros and subnormals with {@link Float16#fromFloat(float)}.
 * Not thread-safe: each thread uses its own (it holds the scratch arrays).
 */
public final class Float16Narrower {
    private static final int CHUNK = 4096;
    /** Magnitudes below this (2^-14, the smallest normal half) take the scalar pass. */
    private static final int MIN_NORMAL = 0x38800000;

    private final FloatBuffer floatView;
    private final IntBuffer bitsView;
    private final int[] bits = new int[CHUNK];
    private final int[] halves = new int[CHUNK];
    private final short[] out = new short[CHUNK];

    public Float16Narrower() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.nativeOrder());
        floatView = scratch.asFloatBuffer();
        bitsView = scratch.asIntBuffer();
    }

    /** Narrows {@code n} floats from {@code src} (absolute index {@code from}) into {@code dst} at {@code to}. */
    public void narrow(FloatBuffer src, int from, ShortBuffer dst, int to, int n) {
        for (int done = 0; done < n; ) {
            int len = Math.min(CHUNK, n - done);
            floatView.put(0, src, from + done, len);
            bitsView.get(0, bits, 0, len);
            if (narrowLarge(bits, halves, len) < 0) narrowSmall(bits, halves, len);
            for (int i = 0; i < len; i++) {
                out[i] = (short) halves[i];
            }
            dst.put(to + done, out, 0, len);
            done += len;
        }
    }

    /**
     * The branch-free part: correct for every magnitude of at least 2^-14. Normal range: as in Float16.fromFloat,
     * adding 0xfff plus the kept LSB and dropping 13 bits rounds to nearest even, then 127 → 15 rebias. At and above
     * 0x477ff000 (65520, the midpoint to 2^16) the result is infinity, or for NaN a quiet NaN with the top payload
     * bits. Returns a negative number iff some magnitude is below 2^-14 (zero or subnormal half: not yet correct).
     */
    private static int narrowLarge(int[] in, int[] out, int n) {
        int small = 0;
        for (int i = 0; i < n; i++) {
            int bits = in[i];
            int abs = bits & 0x7fffffff;
            int normal = ((abs + 0xfff + ((abs >>> 13) & 1)) >>> 13) - (112 << 10);
            int over = (0x477fefff - abs) >> 31; // all ones iff abs >= 0x477ff000
            int nan = (0x7f800000 - abs) >> 31; // all ones iff abs > infinity
            int special = 0x7c00 | (nan & (0x0200 | ((abs >>> 13) & 0x3ff)));
            out[i] = ((bits >>> 16) & 0x8000) | (normal & ~over) | (special & over);
            small |= abs - MIN_NORMAL;
        }
        return small;
    }

    private static void narrowSmall(int[] in, int[] out, int n) {
        for (int i = 0; i < n; i++) {
            if ((in[i] & 0x7fffffff) < MIN_NORMAL) out[i] = Float16.fromFloat(Float.intBitsToFloat(in[i]));
        }
    }
}
