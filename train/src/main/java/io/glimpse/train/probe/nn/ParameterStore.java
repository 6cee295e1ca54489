package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Creates and names one head's tensors: trainable parameters (gradient attached), buffers (running statistics,
 * saved with the head) and constants (neither). Values come from one seeded {@link Random} in creation order, so
 * the build order of a head fixes its initial values. {@link #scope} hands a sub-module a prefixed view
 * ({@code pool.kv.weight}) over the same tensors and random stream.
 */
public final class ParameterStore {
    private final NDManager manager;
    private final DataType dataType;
    private final Random random;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> buffers;
    private final String prefix;

    public ParameterStore(NDManager manager, DataType dataType, long seed) {
        this(manager, floatingPoint(dataType), new Random(seed), new LinkedHashMap<>(), new LinkedHashMap<>(), "");
    }

    private ParameterStore(NDManager manager, DataType dataType, Random random, Map<String, NDArray> parameters,
                           Map<String, NDArray> buffers, String prefix) {
        this.manager = manager;
        this.dataType = dataType;
        this.random = random;
        this.parameters = parameters;
        this.buffers = buffers;
        this.prefix = prefix;
    }

    private static DataType floatingPoint(DataType dataType) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("probe heads are float32 or float64, not " + dataType);
        }
        return dataType;
    }

    /** A view whose names start with {@code name.}; it shares the tensors and the random stream. */
    public ParameterStore scope(String name) {
        return new ParameterStore(manager, dataType, random, parameters, buffers, prefix + name + ".");
    }

    /** A trainable tensor drawn from {@code init}, with a gradient attached. */
    public NDArray parameter(String name, Shape shape, Init init) {
        NDArray array = draw(shape, init);
        array.setRequiresGradient(true);
        register(parameters, name, array);
        return array;
    }

    /** A saved, non-trainable tensor filled with {@code value} (e.g. BatchNorm running statistics). */
    public NDArray buffer(String name, Shape shape, double value) {
        NDArray array = manager.full(shape, (float) value, dataType);
        register(buffers, name, array);
        return array;
    }

    /** A fixed tensor that is neither trained nor saved (e.g. the absent beta of a gamma-only LayerNorm). */
    public NDArray constant(Shape shape, double value) {
        return manager.full(shape, (float) value, dataType);
    }

    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    private NDArray draw(Shape shape, Init init) {
        int n = Math.toIntExact(shape.size());
        if (dataType == DataType.FLOAT64) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) values[i] = init.sample(random);
            return manager.create(values, shape);
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) init.sample(random);
        return manager.create(values, shape);
    }

    private void register(Map<String, NDArray> target, String name, NDArray array) {
        String full = prefix + name;
        if (parameters.containsKey(full) || buffers.containsKey(full)) {
            throw new IllegalStateException("tensor name used twice in one head: " + full);
        }
        array.setName(full);
        target.put(full, array);
    }
}
