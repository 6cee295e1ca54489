package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.PooledAttention;

import java.util.Map;
import java.util.Optional;

/**
 * {@code efficient} / {@code efficient-all}: EP (docs/heads.md#efficient, docs/heads.md#efficient-all).
 * Queries U [1, M, D] ~ N(0, 0.02^2), bias-free W_v [D', D] (D' = D/d_out, PyTorch default init);
 * A = softmax_n(U X^T / sqrt(D)) with
 * the FULL D; query j pools only the contiguous value slice j of width c = D'/M; slices concatenated in query order.
 * <p>
 * {@link Order#POOL_FIRST} (the default, docs/heads.md#pool-first) computes y_j = W_v^(j) (A X)_j: 2*M*N*D + D*D'
 * multiply-adds per sample. {@link Order#PROJECT_ALL} is the study's order (V = X W_v^T for every token, then the
 * weighted sums): M*N*D + N*D*D' + N*D'. Same function and gradients up to float rounding.
 */
public final class EfficientPooling implements Pooling {
    public enum Order { POOL_FIRST, PROJECT_ALL }

    private final Order order;
    private final NDArray queries;
    private final LinearLayer values;
    private final int dim;
    private final int outDim;
    private final int numQueries;
    private final int dOut;
    private final long tokens;

    public EfficientPooling(PoolingSpec spec, ParameterStore store, Order order) {
        this.order = order;
        this.dim = spec.dim();
        this.dOut = spec.options().dOut();
        this.numQueries = spec.options().queries();
        if (dim % dOut != 0) {
            throw new TrainInputException("--d-out " + dOut + " does not divide D=" + dim + " (probe " + spec.probe()
                    + "); allowed: " + PoolingSpec.divisors(dim));
        }
        this.outDim = dim / dOut;
        if (outDim % numQueries != 0) {
            throw new TrainInputException("--queries " + numQueries + " does not divide D/d_out=" + outDim + " (probe "
                    + spec.probe() + "); allowed: " + PoolingSpec.divisors(outDim));
        }
        this.tokens = spec.tokens();
        this.queries = store.parameter("queries", new Shape(1, numQueries, dim), Init.normal(0.02));
        this.values = LinearLayer.create(store, "v", dim, outDim, false);
    }

    @Override
    public int outputDim() {
        return outDim;
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray a = weights(x);
        return order == Order.POOL_FIRST ? PooledAttention.headValues(a, x, values.weight(), null) : projectAll(a, x);
    }

    /** The study's order: project every token, then query j's weighted sum of its value slice. */
    private NDArray projectAll(NDArray a, NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0), n = s.get(1), c = outDim / numQueries;
        NDArray slices = values.forward(x).reshape(b, n, numQueries, c).transpose(0, 2, 1, 3);   // [B, M, N, c]
        return a.expandDims(2).matMul(slices).reshape(b, outDim);
    }

    private NDArray weights(NDArray x) {
        return PooledAttention.weights(x, queries.reshape(numQueries, dim), 1 / Math.sqrt(dim));
    }

    /** A [B, M, N]: query j's distribution over the selected tokens. */
    @Override
    public Optional<NDArray> attention(NDArray x) {
        return Optional.of(weights(x));
    }

    @Override
    public long parameterCount() {
        return (long) dim * dim / dOut + (long) numQueries * dim;
    }

    @Override
    public long flopsPerSample() {
        return order == Order.POOL_FIRST ? poolFirstFlops() : projectAllFlops();
    }

    public long poolFirstFlops() {
        return PooledAttention.flops(numQueries, tokens, dim, outDim);
    }

    public long projectAllFlops() {
        return (long) numQueries * tokens * dim + tokens * dim * outDim + tokens * outDim;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("queries", numQueries, "d_out", dOut);
    }
}
