package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head attention of one (already projected) query per sample or per batch over N tokens, then the
 * optional output projection: Proj(concat_h sum_n a_hn (W_v^(h) x_n + b_v^(h))). Computed pool-first
 * ({@link PooledAttention}); the key bias never matters (it shifts each head's logits by a constant).
 * The single-query poolings (siglip, jepa, cait, cae, clip, aim) differ only in where q, keys and values come from.
 */
public final class QueryAttention {
    private final int heads;
    private final double scale;
    private final RowSlice key;
    private final RowSlice value;
    private final LinearLayer proj;

    /** {@code proj} may be null (AIM has no output projection). */
    public QueryAttention(int heads, RowSlice key, RowSlice value, LinearLayer proj) {
        this.heads = heads;
        this.scale = 1 / Math.sqrt((double) key.width() / heads);
        this.key = key;
        this.value = value;
        this.proj = proj;
    }

    /** a [B, H, N] for q [D] (shared by the batch) or [B, D] (per sample), over keys-side tokens [B, N, D]. */
    public NDArray weights(NDArray q, NDArray keyTokens) {
        return PooledAttention.weights(keyTokens, PooledAttention.tokenSpaceQueries(q, key.weight(), heads), scale);
    }

    /**
     * As {@link #weights(NDArray, NDArray)} over keys-side tokens LN(x): q.(x̂ γ + β) = (q γ).x̂ + q.β, and q.β shifts
     * all of a head's logits alike, so it cancels in the softmax.
     */
    public NDArray weights(NDArray q, NormedTokens keyTokens) {
        NDArray u = PooledAttention.tokenSpaceQueries(q, key.weight(), heads).mul(keyTokens.gain());
        return PooledAttention.weights(keyTokens.normalized(), u, scale);
    }

    /**
     * As {@link #output(NDArray, NDArray)} over value-side tokens LN(x): the weights sum to 1, so the pooled LN(x) is
     * (sum_n a x̂_n) γ + β, and W_v((p γ) + β) + b_v = (W_v γ) p + (W_v β + b_v).
     */
    public NDArray output(NDArray a, NormedTokens valueTokens) {
        NDArray w = value.weight();
        NDArray bias = w.matMul(valueTokens.shift());
        if (value.bias() != null) bias = bias.add(value.bias());
        NDArray heads = PooledAttention.headValues(a, valueTokens.normalized(), w.mul(valueTokens.gain()), bias);
        return proj == null ? heads : proj.forward(heads);
    }

    /**
     * As {@link #weights(NDArray, NormedTokens)} over keys-side rows LN(x_n) + P_n, a learned position per row
     * ({@code positions} [N, D]): the positions add u_h.P_n, one product with the shared P.
     */
    public NDArray weights(NDArray q, NormedTokens keyTokens, NDArray positions) {
        NDArray u = Scalars.mul(PooledAttention.tokenSpaceQueries(q, key.weight(), heads), scale);    // [B, H, D]
        NDArray logits = keyTokens.normalized().matMul(u.mul(keyTokens.gain()).transpose(0, 2, 1))  // [B, N, H]
                .add(positions.matMul(u.transpose(0, 2, 1)));
        return logits.softmax(1).transpose(0, 2, 1);
    }

    /** As {@link #output(NDArray, NormedTokens)} over value-side rows LN(x_n) + P_n: adds sum_n a_hn P_n. */
    public NDArray output(NDArray a, NormedTokens valueTokens, NDArray positions) {
        NDArray pooled = a.matMul(valueTokens.normalized()).mul(valueTokens.gain()).add(valueTokens.shift())
                .add(a.matMul(positions));                                                          // [B, H, D]
        NDArray heads = PooledAttention.valuesOfPooled(pooled, value.weight(), value.bias());
        return proj == null ? heads : proj.forward(heads);
    }

    /** [B, D_out]: the heads' pooled values, concatenated, through the output projection. */
    public NDArray output(NDArray a, NDArray valueTokens) {
        NDArray heads = PooledAttention.headValues(a, valueTokens, value.weight(), value.bias());
        return proj == null ? heads : proj.forward(heads);
    }

    public int heads() {
        return heads;
    }

    /** Per-sample multiply-adds over N tokens of width D (query folding runs once per batch and is not counted). */
    public long flops(long tokens, long dim) {
        return PooledAttention.flops(heads, tokens, dim, value.width()) + (proj == null ? 0 : proj.flopsPerRow());
    }

    /** As {@link #flops} plus folding a per-sample query through the key projection (D_k * D per sample). */
    public long flopsWithPerSampleQuery(long tokens, long dim) {
        return flops(tokens, dim) + (long) key.width() * dim;
    }
}
