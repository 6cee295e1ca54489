package io.glimpse.cache.read;

/**
 * Deterministic orders from (seed, epoch): a SplitMix64 stream (fixed arithmetic, so the same numbers on every
 * JVM and machine, unlike relying on a library RNG's unspecified internals) drives Fisher–Yates shuffles and the
 * per-image choice of an augmented view.
 */
public final class SeededOrder {
    private long state;

    public SeededOrder(long seed, long stream) {
        this.state = mix(mix(seed) ^ (stream * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    /** SplitMix64's finalizer: a bijective avalanche mix of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** Shuffles {@code a} in place (Fisher–Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** 0..n-1 permuted by (seed, stream). */
    public static int[] permutation(int n, long seed, long stream) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        new SeededOrder(seed, stream).shuffle(p);
        return p;
    }

    /** Which of {@code views} augmented views image {@code image} shows in {@code epoch}: a pure function. */
    public static int view(long seed, int epoch, int image, int views) {
        if (views == 1) return 0;
        long h = mix(mix(mix(seed) ^ (epoch + 0x5851F42D4C957F2DL)) ^ image);
        return (int) Long.remainderUnsigned(h, views);
    }
}
