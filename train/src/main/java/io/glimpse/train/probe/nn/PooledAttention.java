package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-attention of H single queries over N tokens, computed pool-first: the study's function in a cheaper,
 * re-associated order (docs/heads.md#pool-first). With per-head query q_h (width c = D/H), key weight rows W_k^(h) and
 * value rows W_v^(h):
 * <pre>
 *   logit_hn = q_h . (W_k^(h) x_n + b_k^(h)) * s  =  (s W_k^(h)^T q_h) . x_n + const_h     (const cancels in softmax)
 *   out_h    = sum_n a_hn (W_v^(h) x_n + b_v^(h))  =  W_v^(h) (sum_n a_hn x_n) + b_v^(h)   (the a_hn sum to 1)
 * </pre>
 * so the keys and values of the N tokens are never formed: cost 2*H*N*D + D*Dv per sample instead of
 * N*D*(D + Dv). EP is the case W_k = identity (its queries already live in token space).
 */
public final class PooledAttention {
    private PooledAttention() {
    }

    /**
     * Token-space queries u_h = W_k^(h)^T q_h: q [..., H*c] (leading axes kept, e.g. [] / [1] / [B]) and
     * keyWeight [H*c, D] -> [..., H, D]. One product per head over all leading rows, so a per-sample query never
     * broadcasts the key weight over the batch.
     */
    public static NDArray tokenSpaceQueries(NDArray q, NDArray keyWeight, int heads) {
        Shape qs = q.getShape();
        Shape lead = qs.slice(0, qs.dimension() - 1);
        long rows = lead.size();
        long c = qs.get(qs.dimension() - 1) / heads;
        long d = keyWeight.getShape().get(1);
        NDArray perHead = q.reshape(rows, heads, c).transpose(1, 0, 2)             // [H, rows, c]
                .matMul(keyWeight.reshape(heads, c, d));                              // [H, rows, D]
        return perHead.transpose(1, 0, 2).reshape(lead.addAll(new Shape(heads, d)));
    }

    /**
     * Attention a [B, H, N] = softmax over tokens of (x u^T) * scale, for u [H, D] shared by the batch or
     * [B, H, D] per sample.
     */
    public static NDArray weights(NDArray x, NDArray u, double scale) {
        NDArray scaled = Scalars.mul(u, scale);
        NDArray logits = scaled.getShape().dimension() == 2
                ? x.matMul(scaled.transpose())
                : x.matMul(scaled.transpose(0, 2, 1));
        return logits.softmax(1).transpose(0, 2, 1);
    }

    /**
     * Per-head values of the pooled tokens, heads concatenated: a [B, H, N], x [B, N, D], valueWeight [H*c, D],
     * valueBias [H*c] or null -> [B, H*c]. Pools first (a x: [B, H, D]), then applies each head's c rows of the
     * value projection to its own pooled vector as one batched product over heads.
     */
    public static NDArray headValues(NDArray a, NDArray x, NDArray valueWeight, NDArray valueBias) {
        return valuesOfPooled(a.matMul(x), valueWeight, valueBias);
    }

    /** As {@link #headValues} from the pooled tokens [B, H, D] themselves. */
    public static NDArray valuesOfPooled(NDArray pooledTokens, NDArray valueWeight, NDArray valueBias) {
        long b = pooledTokens.getShape().get(0);
        long heads = pooledTokens.getShape().get(1);
        long out = valueWeight.getShape().get(0);
        long d = valueWeight.getShape().get(1);
        NDArray pooled = pooledTokens.transpose(1, 0, 2);                                   // [H, B, D]
        NDArray perHead = valueWeight.reshape(heads, out / heads, d).transpose(0, 2, 1);    // [H, D, c]
        NDArray y = pooled.matMul(perHead).transpose(1, 0, 2).reshape(b, out);
        return valueBias == null ? y : y.add(valueBias);
    }

    /** Multiply-adds per sample of {@link #weights} + {@link #headValues}: logits and pooling H*N*D each, values D*Dv. */
    public static long flops(long heads, long tokens, long dim, long valueDim) {
        return 2 * heads * tokens * dim + dim * valueDim;
    }
}
