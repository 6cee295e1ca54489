package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.nn.LinearLayer;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.RunningBatchNorm;
import io.glimpse.train.probe.pooling.Pooling;
import io.glimpse.train.probe.pooling.PoolingSpec;
import io.glimpse.train.probe.pooling.TokenSelection;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Every probe head: logits = Linear_{D'->C}(BN1d_{D'}(Pool(selected tokens))) (docs/heads.md#common-structure). BN has
 * affine=False, eps 1e-6, momentum 0.1, running statistics at eval; the classifier has a bias and PyTorch's default
 * init. EP builds its pooling first and then a fresh classifier; every other probe builds the classifier (the encoder's
 * own head) first. Build order fixes which seeded draws each tensor gets.
 * <p>
 * Memory: the head's tensors live in a sub-manager of the manager it was built with (closed by {@link #close}).
 * {@link #forward} and {@link #attention} run inside an {@link NDScope}: every intermediate is closed before they
 * return (autograd keeps what backward needs), and the result is attached to the manager of {@code tokens}. Call
 * them with tokens owned by a per-batch sub-manager and close that after the optimizer step.
 */
public final class PooledProbe implements ProbeHead {
    private static final double BN_EPS = 1e-6;

    private final String name;
    private final NDManager manager;
    private final TokenLayout layout;
    private final TokenSelection selection;
    private final Pooling pooling;
    private final RunningBatchNorm norm;
    private final LinearLayer classifier;
    private final ParameterStore store;
    private final DataType dataType;

    PooledProbe(String name, TokenSelection selection, boolean poolingFirst,
                BiFunction<PoolingSpec, ParameterStore, Pooling> poolingFactory, PoolingSpec spec, int numClasses,
                NDManager parent, DataType dataType, long seed) {
        if (selection != TokenSelection.PATCHES) spec.requirePrefix();
        this.name = name;
        this.layout = spec.layout();
        this.selection = selection;
        this.dataType = dataType;
        this.manager = parent.newSubManager();
        try {
            store = new ParameterStore(manager, dataType, seed);
            if (poolingFirst) {
                pooling = poolingFactory.apply(spec, store.scope("pool"));
                classifier = LinearLayer.create(store, "classifier", pooling.outputDim(), numClasses, true);
            } else {
                classifier = LinearLayer.create(store, "classifier", spec.dim(), numClasses, true);
                pooling = poolingFactory.apply(spec, store.scope("pool"));
            }
            norm = RunningBatchNorm.plain(store, "bn", pooling.outputDim(), BN_EPS);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return pooling.optionsUsed();
    }

    @Override
    public Map<String, NDArray> parameters() {
        return store.parameters();
    }

    @Override
    public Map<String, NDArray> buffers() {
        return store.buffers();
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        try (NDScope scope = new NDScope()) {
            NDArray pooled = pooling.pool(select(tokens), training);
            NDArray logits = classifier.forward(norm.forward(pooled, training));
            return keep(logits, tokens);
        }
    }

    @Override
    public Optional<NDArray> attention(NDArray tokens) {
        try (NDScope scope = new NDScope()) {
            return pooling.attention(select(tokens)).map(a -> keep(a, tokens));
        }
    }

    /** The pooled vectors [B, D'] before BN (eval mode), e.g. for analyses of the representation. */
    public NDArray pooled(NDArray tokens) {
        try (NDScope scope = new NDScope()) {
            return keep(pooling.pool(select(tokens), false), tokens);
        }
    }

    /** The tokens this head reads, in its precision (a float16 / bfloat16 batch is widened here). */
    private NDArray select(NDArray tokens) {
        NDArray typed = tokens.getDataType() == dataType ? tokens : tokens.toType(dataType, false);
        return selection.select(typed, layout);
    }

    private static NDArray keep(NDArray result, NDArray tokens) {
        NDScope.unregister(result);
        result.attach(tokens.getManager());
        return result;
    }

    public Pooling pooling() {
        return pooling;
    }

    @Override
    public long parameterCount() {
        return pooling.parameterCount() + classifier.parameterCount();
    }

    /** Pooling (see {@link Pooling#flopsPerSample}) + classifier D'*C; BN is elementwise and not counted. */
    @Override
    public long flopsPerSample() {
        return pooling.flopsPerSample() + classifier.flopsPerRow();
    }

    @Override
    public long selectedValuesPerSample() {
        return (long) selection.count(layout) * layout.dim();
    }

    @Override
    public void close() {
        manager.close();
    }
}
