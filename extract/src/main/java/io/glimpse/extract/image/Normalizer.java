package io.glimpse.extract.image;

import java.nio.FloatBuffer;

/**
 * ToTensor + Normalize in torchvision's float32 order, {@code ((float) v / 255f - mean_f) / std_f}, which
 * reproduces torchvision bit for bit; writes CHW into a batch buffer at the given float offset.
 */
public final class Normalizer {
    private final float[] mean;
    private final float[] std;
    /** Per channel, the 256 possible outputs: the same float ops, computed once. */
    private final float[][] table;

    public Normalizer(Preprocessing p) {
        int c = p.channels();
        mean = new float[c];
        std = new float[c];
        table = new float[c][256];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (float) p.mean()[ch];
            std[ch] = (float) p.std()[ch];
            for (int v = 0; v < 256; v++) table[ch][v] = ((float) v / 255f - mean[ch]) / std[ch];
        }
    }

    /** Writes {@code img} (HWC uint8) as CHW float32 into {@code dst} starting at absolute index {@code offset}. */
    public void write(U8Image img, FloatBuffer dst, int offset) {
        int c = img.channels(), plane = img.width() * img.height();
        if (c != table.length) throw new IllegalArgumentException("image has " + c + " channel(s), normalizer expects " + table.length);
        byte[] px = img.pixels();
        for (int ch = 0; ch < c; ch++) {
            float[] t = table[ch];
            int base = offset + ch * plane;
            for (int i = 0; i < plane; i++) dst.put(base + i, t[px[i * c + ch] & 0xFF]);
        }
    }
}
