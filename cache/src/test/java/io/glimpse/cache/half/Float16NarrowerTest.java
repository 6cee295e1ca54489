package io.glimpse.cache.half;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The bulk narrower must give exactly the scalar conversion's bits (which Float16Test checks against a reference). */
class Float16NarrowerTest {
    private static final short[] LOW_BITS = {0x000, 0x001, 0x7ff, 0x800, 0x801, 0xfff};

    /**
     * Every sign, exponent and top 11 mantissa bits (2^20 patterns: every rounding bit position of normal and
     * subnormal halves, infinity, every NaN payload the half keeps), each with low 12 bits that are zero, one,
     * just below, at and above half, and all ones: the sticky bits every rounding decision depends on.
     */
    @Test
    void matchesScalarOnEveryExponentAndRoundingBoundary() {
        int n = (1 << 20) * LOW_BITS.length;
        FloatBuffer src = floats(n);
        int at = 0;
        for (int high = 0; high < 1 << 20; high++) {
            for (short low : LOW_BITS) {
                src.put(at++, Float.intBitsToFloat((high << 12) | low));
            }
        }
        assertNarrowsLikeScalar(src, 0, n);
    }

    @Test
    void matchesScalarOnRandomBitsAndTypicalTokens() {
        int n = 3_000_000;
        FloatBuffer src = floats(n);
        SplittableRandom rnd = new SplittableRandom(17);
        for (int i = 0; i < n; i++) {
            src.put(i, switch (i % 3) {
                case 0 -> Float.intBitsToFloat(rnd.nextInt());
                case 1 -> (float) rnd.nextGaussian();
                default -> (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-9, 6)));
            });
        }
        assertNarrowsLikeScalar(src, 0, n);
    }

    /** A lone zero or subnormal-range value among normal ones: the rare case must be noticed, not just be nearby. */
    @Test
    void loneSmallValueAmongNormalOnes() {
        int n = 5000;
        FloatBuffer src = floats(n);
        ShortBuffer dst = shorts(n);
        Float16Narrower narrower = new Float16Narrower();
        int at = 0;
        for (int exp = 0; exp <= 112; exp++) { // every float exponent below the smallest normal half, 2^-14
            for (int mant : new int[] {0, 1, 0x400000, 0x7fffff}) {
                for (int sign : new int[] {0, 0x80000000}) {
                    float small = Float.intBitsToFloat(sign | (exp << 23) | mant);
                    for (int i = 0; i < n; i++) {
                        src.put(i, 1.5f + i);
                    }
                    at = (at + 997) % n;
                    src.put(at, small);
                    narrower.narrow(src, 0, dst, 0, n);
                    assertEquals(Float16.fromFloat(small), dst.get(at), () -> "float " + Integer.toHexString(Float.floatToRawIntBits(small)));
                }
            }
        }
    }

    @Test
    void honoursOffsetsAndLeavesNeighboursAlone() {
        int n = 10_007; // not a multiple of the internal chunk
        FloatBuffer src = floats(n + 3);
        for (int i = 0; i < n + 3; i++) {
            src.put(i, i % 11 == 0 ? 0f : (i - 5000) * 0.37f);
        }
        ShortBuffer dst = shorts(n + 8);
        for (int i = 0; i < n + 8; i++) {
            dst.put(i, (short) 0x5555);
        }
        new Float16Narrower().narrow(src, 3, dst, 5, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float16.fromFloat(src.get(3 + i)), dst.get(5 + i), "value " + i);
        }
        for (int i : new int[] {0, 1, 2, 3, 4, n + 5, n + 6, n + 7}) {
            assertEquals((short) 0x5555, dst.get(i), "untouched " + i);
        }
    }

    private static void assertNarrowsLikeScalar(FloatBuffer src, int from, int n) {
        ShortBuffer dst = shorts(n);
        new Float16Narrower().narrow(src, from, dst, 0, n);
        for (int i = 0; i < n; i++) {
            short want = Float16.fromFloat(src.get(from + i));
            if (dst.get(i) != want) {
                fail(String.format("float %08x: bulk %04x, scalar %04x", Float.floatToRawIntBits(src.get(from + i)), dst.get(i) & 0xffff, want & 0xffff));
            }
        }
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static ShortBuffer shorts(int n) {
        return ByteBuffer.allocateDirect(n * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    }
}
