package io.glimpse.eval.complementarity;

/**
 * A batch of attention maps [B, M, N] in a flat row-major float array: B images, M maps (queries) per image,
 * each map a distribution over N tokens. Plain arrays so the metrics need no tensor library.
 */
public record AttentionMaps(float[] values, int images, int queries, int tokens) {
    public AttentionMaps {
        if (images < 0 || queries <= 0 || tokens <= 0) {
            throw new IllegalArgumentException("attention maps need B>=0, M>0, N>0, got " + images + "x" + queries + "x" + tokens);
        }
        if ((long) images * queries * tokens != values.length) {
            throw new IllegalArgumentException("attention maps " + images + "x" + queries + "x" + tokens
                    + " need " + (long) images * queries * tokens + " values, got " + values.length);
        }
    }

    /** Offset of map (image b, query m) in {@link #values()}. */
    public int offset(int b, int m) {
        return (b * queries + m) * tokens;
    }
}
