package io.glimpse.cache.synth;

/**
 * SplitMix64 (Steele, Lea and Flood 2014), the generator behind {@link java.util.SplittableRandom}, written out so
 * that one instance per thread can be re-seeded for every row without allocating, and so that streams are keyed by
 * (seed, kind, index): the value of any row depends on nothing but its key.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    void seed(long state) {
        this.state = state;
    }

    long next() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** The start of stream {@code index} of kind {@code kind} under {@code seed}; distinct keys give unrelated streams. */
    static long stream(long seed, long kind, long index) {
        return mix(mix(mix(seed) + (kind + 1) * GOLDEN_GAMMA) + index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
