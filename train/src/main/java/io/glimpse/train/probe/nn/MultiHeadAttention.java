package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled dot-product attention with H heads over already-projected q [B, Nq, D], k [B, N, D], v [B, N, Dv]
 * (head h owns the contiguous channels [h*D/H, (h+1)*D/H), as PyTorch/timm reshape them). Used where every token
 * gets its own query (dinovit, abmilp's self-attention) or the query is per-sample (esimpool).
 */
public final class MultiHeadAttention {
    private MultiHeadAttention() {
    }

    /** [B, N, D] -> [B, H, N, D/H]. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        long b = s.get(0), n = s.get(1), d = s.get(2);
        return x.reshape(b, n, heads, d / heads).transpose(0, 2, 1, 3);
    }

    /** [B, H, N, c] -> [B, N, H*c]. */
    public static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /** Attention weights softmax(q k^T * scale) over the key axis: [B, H, Nq, N]. */
    public static NDArray weights(NDArray q, NDArray k, int heads, double scale) {
        NDArray qh = splitHeads(Scalars.mul(q, scale), heads);
        return qh.matMul(splitHeads(k, heads).transpose(0, 1, 3, 2)).softmax(-1);
    }

    /** Heads concatenated: [B, Nq, Dv]. */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, double scale) {
        return mergeHeads(weights(q, k, heads, scale).matMul(splitHeads(v, heads)));
    }

    /**
     * Self-attention from a fused projection [B, N, 3D] (rows [q; k; v], as timm's and abmilp's qkv Linear),
     * scale (D/H)^-1/2: [B, N, D].
     */
    public static NDArray attendFused(NDArray qkv, int heads) {
        long d = qkv.getShape().get(2) / 3;
        NDArray q = qkv.get(new NDIndex(":, :, 0:{}", d));
        NDArray k = qkv.get(new NDIndex(":, :, {}:{}", d, 2 * d));
        NDArray v = qkv.get(new NDIndex(":, :, {}:", 2 * d));
        return attend(q, k, v, heads, 1 / Math.sqrt((double) d / heads));
    }

    /** Multiply-adds of {@link #attend} per sample: logits Nq*N*D plus the weighted sum Nq*N*Dv. */
    public static long flops(long queries, long tokens, long dim, long valueDim) {
        return queries * tokens * (dim + valueDim);
    }
}
