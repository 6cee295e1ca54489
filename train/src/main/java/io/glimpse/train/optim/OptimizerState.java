package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Per-parameter state buffers that outlive a training step (kept out of the step's NDScope). */
final class OptimizerState implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new HashMap<>();

    OptimizerState(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** The buffer {@code key}, created by {@code init} on first use and then kept. */
    NDArray get(String key, Supplier<NDArray> init) {
        NDArray b = buffers.get(key);
        if (b == null) {
            b = init.get();
            NDScope.unregister(b);
            b.attach(manager);
            buffers.put(key, b);
        }
        return b;
    }

    @Override
    public void close() {
        buffers.clear();
        manager.close();
    }
}
