package io.glimpse.cache.half;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class Float16Test {

    /** Every finite non-negative half (bits 0x0000..0x7bff) as an exact double, independent of Float16's table. */
    private static final double[] FINITE = new double[0x7c00];

    static {
        for (int h = 0; h < FINITE.length; h++) {
            int e = h >>> 10;
            int m = h & 0x3ff;
            FINITE[h] = e == 0 ? m * Math.pow(2, -24) : (1 + m / 1024.0) * Math.pow(2, e - 15);
        }
    }

    /**
     * Reference narrowing by search: the nearest half by exact (BigDecimal) distance, ties to the even bit pattern,
     * overflow to infinity at and beyond 65520 (the midpoint between 65504 and 2^16, which rounds to even = inf).
     */
    static short reference(float f) {
        if (Float.isNaN(f)) return (short) 0x7e00;
        int sign = Float.floatToRawIntBits(f) < 0 ? 0x8000 : 0;
        double a = Math.abs((double) f);
        if (a >= 65520.0) return (short) (sign | 0x7c00);
        int lo = 0, hi = FINITE.length - 1;
        while (lo < hi) { // first index with FINITE[i] >= a
            int mid = (lo + hi) >>> 1;
            if (FINITE[mid] >= a) hi = mid;
            else lo = mid + 1;
        }
        int best = lo;
        if (lo > 0 && FINITE[lo] != a) {
            BigDecimal x = new BigDecimal(a);
            int cmp = x.subtract(new BigDecimal(FINITE[lo - 1])).compareTo(new BigDecimal(FINITE[lo]).subtract(x));
            if (cmp < 0 || (cmp == 0 && ((lo - 1) & 1) == 0)) best = lo - 1;
        }
        return (short) (sign | best);
    }

    @Test
    void everyHalfWidensExactlyAndRoundTrips() {
        int nan = 0;
        for (int h = 0; h < 1 << 16; h++) {
            float f = Float16.toFloat((short) h);
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            boolean neg = (h & 0x8000) != 0;
            if (exp == 0x1f && mant != 0) {
                assertTrue(Float.isNaN(f), "half " + Integer.toHexString(h) + " must widen to NaN");
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))), "NaN stays NaN");
                nan++;
                continue;
            }
            double want = exp == 0x1f ? Double.POSITIVE_INFINITY : FINITE[h & 0x7fff];
            assertEquals(neg ? -want : want, (double) f, "half " + Integer.toHexString(h));
            assertEquals(neg, (Float.floatToRawIntBits(f) < 0), "sign of half " + Integer.toHexString(h));
            assertEquals((short) h, Float16.fromFloat(f), "round trip of half " + Integer.toHexString(h));
        }
        assertEquals(2 * 1023, nan);
    }

    @Test
    void narrowingMatchesReferenceOnEdgeAndRandomValues() {
        float[] edges = {0f, -0f, 1f, -1f, 65504f, -65504f, 65519.996f, 65520f, 65536f, 1e10f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MIN_NORMAL,
                0x1p-24f, 0x1p-25f, Math.nextUp(0x1p-25f), 0x1.8p-25f, 0x1p-26f, 0x1p-14f, Math.nextDown(0x1p-14f),
                0x1.ffcp-15f, 1 + 0x1p-11f, 1 + 0x1p-10f + 0x1p-11f, 2049f, 2051f, 0.1f, 1f / 3};
        int checked = 0;
        for (float e : edges) {
            assertBits(e);
            checked++;
        }
        // halfway points and their neighbours between every pair of adjacent halves: the rounding boundaries
        for (int h = 0; h < FINITE.length - 1; h++) {
            float mid = (float) ((FINITE[h] + FINITE[h + 1]) / 2); // exact: halves have 11 significant bits
            assertBits(mid);
            assertBits(Math.nextUp(mid));
            assertBits(Math.nextDown(mid));
            assertBits(-mid);
            checked += 4;
        }
        SplittableRandom rnd = new SplittableRandom(20260101);
        for (int i = 0; i < 1_000_000; i++) {
            float f;
            switch (i % 3) {
                case 0 -> f = Float.intBitsToFloat(rnd.nextInt()); // every exponent, NaN included
                case 1 -> f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-9, 6)));
                default -> f = Float.intBitsToFloat((rnd.nextInt(0x33000000, 0x47800000)) | (rnd.nextBoolean() ? 0x80000000 : 0)); // half range
            }
            assertBits(f);
            checked++;
        }
        assertTrue(checked > 1_000_000);
    }

    private static void assertBits(float f) {
        short got = Float16.fromFloat(f);
        if (Float.isNaN(f)) {
            assertEquals(0x7c00, got & 0x7c00, "NaN exponent");
            assertNotEquals(0, got & 0x3ff, "NaN must not become infinity");
            return;
        }
        short want = reference(f);
        if (want != got) fail(String.format("float %s (%08x): half %04x, reference %04x", Float.toString(f), Float.floatToRawIntBits(f), got & 0xffff, want & 0xffff));
    }

    @Test
    void bulkWideningMatchesScalar() {
        int n = 10_000;
        ShortBuffer src = ByteBuffer.allocateDirect(n * 2 + 6).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        for (int i = 0; i < src.capacity(); i++) {
            src.put(i, (short) (i * 7919));
        }
        FloatBuffer dst = ByteBuffer.allocateDirect(n * 4 + 8).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Float16.toFloat(src, 3, dst, 2, n, new short[1000], new float[1000]);
        for (int i = 0; i < n; i++) {
            float want = Float16.toFloat(src.get(3 + i));
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst.get(2 + i)), "value " + i);
        }
    }

    @Test
    void bulkNarrowingMatchesScalar() {
        int n = 20_000;
        FloatBuffer src = ByteBuffer.allocateDirect(n * 4 + 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < src.capacity(); i++) {
            src.put(i, (float) (rnd.nextGaussian() * 100));
        }
        ShortBuffer dst = ByteBuffer.allocateDirect(n * 2 + 12).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        Float16.fromFloat(src, 1, dst, 5, n, new float[777], new short[777]);
        for (int i = 0; i < n; i++) {
            assertEquals(Float16.fromFloat(src.get(1 + i)), dst.get(5 + i), "value " + i);
        }
        assertEquals(0, dst.get(4));
        assertEquals(0, dst.get(5 + n));
    }
}
