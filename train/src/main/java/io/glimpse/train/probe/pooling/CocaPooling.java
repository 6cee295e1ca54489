package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LayerNormLayer;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.PooledAttention;

import java.util.Map;
import java.util.Optional;

/**
 * {@code coca}: CoCa's attentional pooler (coca_pytorch CrossAttention, docs/heads.md#coca). 196 learnable queries
 * ~ N(0, 1) (the study's count, independent of N); gain-only LN on the queries (eps 1e-5); multi-query attention:
 * 8 query heads of 64 (to_q Linear(D, 512), bias-free) against ONE shared key head and value head of 64
 * (to_kv Linear(D, 128), bias-free, keys first); scale 64^-1/2; no norm on the tokens; output to_out(512 -> D,
 * bias-free) of query 0 only. Queries 1..195 never reach the output: their gradient rows are zero, as in the study
 * (they still count as parameters). The head sizes do not scale with D, so {@code --heads} does not apply.
 */
public final class CocaPooling extends TokenPooling {
    private static final int QUERIES = 196;
    private static final int HEADS = 8;
    private static final int HEAD_DIM = 64;

    private final NDArray queries;
    private final LayerNormLayer norm;
    private final LinearLayer toQ;
    private final LinearLayer toKv;
    private final LinearLayer toOut;

    public CocaPooling(PoolingSpec spec, ParameterStore store) {
        super(spec);
        queries = store.parameter("queries", new Shape(QUERIES, dim), Init.normal(1));
        norm = LayerNormLayer.gainOnly(store, "norm", dim, 1e-5);
        toQ = LinearLayer.create(store, "to_q", dim, HEADS * HEAD_DIM, false);
        toKv = LinearLayer.create(store, "to_kv", dim, 2 * HEAD_DIM, false);
        toOut = LinearLayer.create(store, "to_out", HEADS * HEAD_DIM, dim, false);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray values = weights(x).matMul(x).matMul(toKv.weight().get(new NDIndex("{}:", HEAD_DIM)).transpose());
        return toOut.forward(values.reshape(x.getShape().get(0), HEADS * HEAD_DIM));
    }

    /** Query 0's 8 heads folded through the shared key head: logits x_n . (W_k^T q_h) / 8. */
    private NDArray weights(NDArray x) {
        NDArray q = toQ.forward(norm.forward(queries.get(new NDIndex("0")))).reshape(HEADS, HEAD_DIM);
        NDArray u = q.matMul(toKv.weight().get(new NDIndex("0:{}", HEAD_DIM)));
        return PooledAttention.weights(x, u, 1 / Math.sqrt(HEAD_DIM));
    }

    /** Query 0's attention per head, [B, 8, N]. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x));
    }

    @Override
    public long parameterCount() {
        return (long) (QUERIES + 1 + HEADS * HEAD_DIM + 2 * HEAD_DIM + HEADS * HEAD_DIM) * dim;
    }

    /** Logits and pooling 8*N*D each, the shared value head per query head 8*64*D, to_out 512*D. */
    @Override
    public long flopsPerSample() {
        return 2L * HEADS * tokens * dim + (long) HEADS * HEAD_DIM * dim + toOut.flopsPerRow();
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("heads", HEADS, "dim_head", HEAD_DIM, "queries", QUERIES);
    }
}
