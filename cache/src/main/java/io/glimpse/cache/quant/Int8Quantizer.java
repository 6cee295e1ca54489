package io.glimpse.cache.quant;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Symmetric int8 with one float32 scale per token (a row of D values), all in float32 arithmetic:
 * {@code scale = max|x| / 127}, {@code q = rint(x / scale)} (round half to even) clamped to [-127, 127], and back
 * {@code x' = q * scale}, so {@code |x - x'| <= scale / 2} up to float32 rounding. A token whose largest magnitude is
 * 0, or so small that its scale would not be a normal float32 (below 127 * 2^-126, about 1.5e-36), is stored as
 * scale 0 and all q 0. A token holding NaN or an infinity has no int8 form: {@link #quantize} reports it and the
 * caller refuses the row.
 *
 * <p>The per-value loops are branch-free (rounding by adding and subtracting 1.5 * 2^23, clamping by min/max) over
 * scratch arrays filled by bulk copies, so the JIT can vectorise them; the only branch is per token. Not
 * thread-safe: each thread uses its own (it holds the scratch arrays).
 */
public final class Int8Quantizer {
    /** Adding then subtracting this rounds a float32 of magnitude below 2^22 to an integer, half to even. */
    private static final float ROUND = 0x1.8p23f;
    private static final int CHUNK = 4096;

    private final int dim;
    private final int tokensPerChunk;
    private final float[] values;
    private final byte[] bytes;
    private final float[] scales;

    public Int8Quantizer(int dim) {
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        this.dim = dim;
        this.tokensPerChunk = Math.max(1, CHUNK / dim);
        this.values = new float[tokensPerChunk * dim];
        this.bytes = new byte[tokensPerChunk * dim];
        this.scales = new float[tokensPerChunk];
    }

    public int dim() {
        return dim;
    }

    /**
     * Quantises {@code tokens} tokens of D floats from {@code src} (absolute index {@code from}) into {@code dst}
     * (absolute byte index {@code to}) and their scales into {@code scaleDst} at {@code scaleTo}. Returns -1, or the
     * index (0-based, among these tokens) of the first token holding NaN or an infinity; the tokens from that one on
     * are then not written.
     */
    public int quantize(FloatBuffer src, int from, ByteBuffer dst, int to, FloatBuffer scaleDst, int scaleTo, int tokens) {
        for (int done = 0; done < tokens; ) {
            int n = Math.min(tokensPerChunk, tokens - done);
            src.get(from + done * dim, values, 0, n * dim);
            int bad = quantizeChunk(values, bytes, scales, n, dim);
            int good = bad < 0 ? n : bad;
            dst.put(to + done * dim, bytes, 0, good * dim);
            scaleDst.put(scaleTo + done, scales, 0, good);
            if (bad >= 0) return done + bad;
            done += n;
        }
        return -1;
    }

    /** The same on arrays: tokens {@code [0, n)} of {@code x} into {@code q} and {@code scale}; returns as {@link #quantize}. */
    static int quantizeChunk(float[] x, byte[] q, float[] scale, int n, int dim) {
        for (int t = 0; t < n; t++) {
            int base = t * dim;
            float max = 0f;
            for (int d = 0; d < dim; d++) {
                max = Math.max(max, Math.abs(x[base + d])); // NaN propagates through Math.max
            }
            if (!(max <= Float.MAX_VALUE)) return t;
            float s = max / 127f;
            if (s < Float.MIN_NORMAL) {
                scale[t] = 0f;
                java.util.Arrays.fill(q, base, base + dim, (byte) 0);
                continue;
            }
            scale[t] = s;
            for (int d = 0; d < dim; d++) {
                float r = (x[base + d] / s + ROUND) - ROUND;
                q[base + d] = (byte) Math.max(-127, Math.min(127, (int) r));
            }
        }
        return -1;
    }

    /**
     * Dequantises {@code tokens} tokens: int8 values from {@code src} (absolute byte index {@code from}), their scales
     * from {@code scaleSrc} at {@code scaleFrom}, float32 {@code q * scale} into {@code dst} at {@code to}.
     */
    public void dequantize(ByteBuffer src, int from, FloatBuffer scaleSrc, int scaleFrom, FloatBuffer dst, int to, int tokens) {
        for (int done = 0; done < tokens; ) {
            int n = Math.min(tokensPerChunk, tokens - done);
            src.get(from + done * dim, bytes, 0, n * dim);
            scaleSrc.get(scaleFrom + done, scales, 0, n);
            dequantizeChunk(bytes, scales, values, n, dim);
            dst.put(to + done * dim, values, 0, n * dim);
            done += n;
        }
    }

    static void dequantizeChunk(byte[] q, float[] scale, float[] x, int n, int dim) {
        for (int t = 0; t < n; t++) {
            int base = t * dim;
            float s = scale[t];
            for (int d = 0; d < dim; d++) {
                x[base + d] = q[base + d] * s;
            }
        }
    }
}
