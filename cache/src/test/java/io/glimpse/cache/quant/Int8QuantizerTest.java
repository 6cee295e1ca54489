package io.glimpse.cache.quant;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The per-token int8 quantiser: the error bound, the definition it documents, and the edge cases. */
class Int8QuantizerTest {

    /** Quantised form of {@code tokens} tokens of {@code x}, through the buffer API the writer uses. */
    private record Quantised(byte[] q, float[] scale, int bad) {
    }

    private static Quantised quantise(float[] x, int dim) {
        int tokens = x.length / dim;
        FloatBuffer src = ByteBuffer.allocateDirect(x.length * 4 + 12).order(ByteOrder.nativeOrder()).asFloatBuffer();
        src.put(3, x); // an offset, as the writer's buffers have
        ByteBuffer dst = ByteBuffer.allocateDirect(x.length + 5);
        FloatBuffer scales = ByteBuffer.allocateDirect(tokens * 4 + 8).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int bad = new Int8Quantizer(dim).quantize(src, 3, dst, 5, scales, 2, tokens);
        byte[] q = new byte[x.length];
        dst.get(5, q);
        float[] s = new float[tokens];
        scales.get(2, s);
        return new Quantised(q, s, bad);
    }

    private static float[] dequantise(Quantised z, int dim) {
        int tokens = z.scale().length;
        ByteBuffer src = ByteBuffer.allocateDirect(z.q().length).put(0, z.q());
        FloatBuffer scales = FloatBuffer.wrap(z.scale());
        FloatBuffer out = FloatBuffer.allocate(z.q().length + 7);
        new Int8Quantizer(dim).dequantize(src, 0, scales, 0, out, 7, tokens);
        float[] x = new float[z.q().length];
        out.get(7, x);
        return x;
    }

    /** Checks the documented definition value by value and the bound |x - q*scale| <= scale/2 (+ float32 rounding). */
    private static void checkBound(float[] x, int dim) {
        Quantised z = quantise(x, dim);
        assertEquals(-1, z.bad());
        float[] back = dequantise(z, dim);
        for (int t = 0; t < x.length / dim; t++) {
            float max = 0;
            for (int d = 0; d < dim; d++) max = Math.max(max, Math.abs(x[t * dim + d]));
            float scale = z.scale()[t];
            if (max / 127f < Float.MIN_NORMAL) {
                assertEquals(0f, scale, "token " + t + " of max " + max + " is stored as zero");
            } else {
                assertEquals(max / 127f, scale, "token " + t + ": scale = max|x| / 127");
            }
            for (int d = 0; d < dim; d++) {
                int i = t * dim + d;
                assertTrue(z.q()[i] >= -127, "q " + z.q()[i] + " below -127");
                assertEquals(z.q()[i] * scale, back[i], "dequantised = q * scale in float32");
                if (scale != 0) assertEquals((int) Math.rint(x[i] / scale), z.q()[i], "q = rint(x / scale) at " + i);
                // float32 rounding of x/scale and of q*scale: a few ulps of the token's largest magnitude
                double eps = 4 * Math.ulp(max) + 1.5e-36;
                assertTrue(Math.abs((double) x[i] - back[i]) <= scale / 2.0 + eps,
                        "token " + t + " value " + d + ": " + x[i] + " came back as " + back[i] + " (scale " + scale + ")");
            }
        }
    }

    @Test
    void randomTokensStayWithinHalfAScale() {
        Random rnd = new Random(42);
        for (int dim : new int[] {1, 3, 128, 768, 5000}) {
            float[] x = new float[dim * 13];
            for (int i = 0; i < x.length; i++) {
                double magnitude = Math.pow(10, rnd.nextInt(9) - 4);
                x[i] = (float) (rnd.nextGaussian() * magnitude);
            }
            checkBound(x, dim);
        }
    }

    @Test
    void adversarialTokens() {
        int dim = 8;
        float[] x = {
                0, 0, 0, 0, 0, 0, 0, 0, // all zero: scale 0, q 0
                1e30f, 1e-3f, -1e-3f, 2, -2, 0, 5e29f, -1e30f, // one huge value dwarfs the rest
                -7, 1, 2, 3, -6.99f, 0.5f, 0, 6.9f, // the largest magnitude is negative
                -0f, 0, -0f, 0, 0, 0, 0, 0, // negative zero
                1e-40f, -3e-41f, 0, 0, 0, 0, 0, 0, // subnormal only: below the smallest normal scale, stored as zero
                3.4e38f, -3.4e38f, 1, 0, 0, 0, 0, 0, // near the float32 maximum
                127, 126.5f, 125.5f, -0.5f, 0.5f, 1.5f, -1.5f, 2.5f, // scale 1: ties go to even
        };
        checkBound(x, dim);
        Quantised z = quantise(x, dim);
        assertEquals(0f, z.scale()[0]);
        for (int d = 0; d < dim; d++) assertEquals(0, z.q()[d]);
        assertEquals(-127, z.q()[2 * dim], "the negative maximum maps to -127");
        assertEquals(127, z.q()[dim], "the positive maximum maps to 127");
        assertEquals(0f, z.scale()[4], "a subnormal-only token is stored as zero");
        assertArrayEquals(new byte[] {127, 126, 126, 0, 0, 2, -2, 2}, java.util.Arrays.copyOfRange(z.q(), 6 * dim, 7 * dim));
    }

    @Test
    void nonFiniteTokensAreReportedNotStored() {
        int dim = 4;
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 1, bad, 2, 3, 9, 9, 9, 9};
            Quantised z = quantise(x, dim);
            assertEquals(2, z.bad(), "token 2 holds " + bad);
        }
        // a NaN after a large value is still seen (Math.max keeps NaN wherever it appears)
        float[] x = {100, Float.NaN, 1, 1};
        assertEquals(0, quantise(x, dim).bad());
    }

    @Test
    void manyChunksLineUpWithTheirScales() {
        int dim = 100; // does not divide the scratch chunk
        float[] x = new float[dim * 500];
        for (int t = 0; t < 500; t++) {
            for (int d = 0; d < dim; d++) x[t * dim + d] = (t + 1) * (d - 50) / 50f;
        }
        Quantised z = quantise(x, dim);
        for (int t = 0; t < 500; t++) {
            assertEquals((t + 1) / 127f, z.scale()[t], "token " + t);
            assertEquals(-127, z.q()[t * dim]);
        }
        checkBound(x, dim);
    }
}
