package io.glimpse.extract.image;

/**
 * Pillow's antialiased separable resize for 8-bit images (libImaging/Resample.c), reproduced bit for bit:
 * double-precision tap weights over a support widened by the downscale factor, normalised, then quantised to
 * 22-bit fixed point; horizontal pass first into a uint8 intermediate, then vertical, each rounding half up
 * and clamping. Taps outside the image are dropped (no edge replication), as Pillow does.
 */
public final class PillowResampler {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResampler() {
    }

    /** Resizes {@code in} to {@code outW x outH}; same size returns the input (Pillow returns a copy). */
    public static U8Image resize(U8Image in, int outW, int outH, ResizeFilter filter) {
        if (outW <= 0 || outH <= 0) throw new IllegalArgumentException("resize target must be positive, got " + outW + "x" + outH);
        if (outW == in.width() && outH == in.height()) return in;
        U8Image horizontal = outW == in.width() ? in : horizontalPass(in, outW, filter);
        return outH == in.height() ? horizontal : verticalPass(horizontal, outH, filter);
    }

    /** Tap windows and fixed-point weights for one axis. */
    private record Taps(int[] start, int[] count, int[] weights, int maxTaps) {
    }

    private static Taps precompute(int inSize, int outSize, ResizeFilter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support() * filterScale;
        int maxTaps = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * maxTaps];
        double[] w = new double[maxTaps];
        double inverse = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                double v = filter.kernel((x + xmin - center + 0.5) * inverse);
                w[x] = v;
                sum += v;
            }
            for (int x = 0; x < xmax; x++) {
                double k = sum != 0.0 ? w[x] / sum : w[x];
                weights[xx * maxTaps + x] = k < 0 ? (int) (-0.5 + k * (1 << PRECISION_BITS)) : (int) (0.5 + k * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Taps(start, count, weights, maxTaps);
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    private static U8Image horizontalPass(U8Image in, int outW, ResizeFilter filter) {
        Taps t = precompute(in.width(), outW, filter);
        int c = in.channels(), h = in.height(), inW = in.width();
        byte[] src = in.pixels();
        byte[] dst = new byte[outW * h * c];
        for (int y = 0; y < h; y++) {
            int rowIn = y * inW * c, rowOut = y * outW * c;
            for (int xx = 0; xx < outW; xx++) {
                int s = t.start[xx], n = t.count[xx], wBase = xx * t.maxTaps;
                for (int ch = 0; ch < c; ch++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < n; x++) acc += (src[rowIn + (s + x) * c + ch] & 0xFF) * t.weights[wBase + x];
                    dst[rowOut + xx * c + ch] = clip8(acc);
                }
            }
        }
        return new U8Image(outW, h, c, dst);
    }

    private static U8Image verticalPass(U8Image in, int outH, ResizeFilter filter) {
        Taps t = precompute(in.height(), outH, filter);
        int c = in.channels(), w = in.width(), stride = w * c;
        byte[] src = in.pixels();
        byte[] dst = new byte[outH * stride];
        for (int yy = 0; yy < outH; yy++) {
            int s = t.start[yy], n = t.count[yy], wBase = yy * t.maxTaps;
            for (int i = 0; i < stride; i++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < n; y++) acc += (src[(s + y) * stride + i] & 0xFF) * t.weights[wBase + y];
                dst[yy * stride + i] = clip8(acc);
            }
        }
        return new U8Image(w, outH, c, dst);
    }
}
