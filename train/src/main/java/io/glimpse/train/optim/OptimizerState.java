package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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

    /** Copies of the buffers, named by key, owned by {@code into}. */
    NDList save(NDManager into) {
        NDList out = new NDList();
        for (Map.Entry<String, NDArray> e : new TreeMap<>(buffers).entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(into);
            copy.setName(e.getKey());
            out.add(copy);
        }
        return out;
    }

    /** Replaces the buffers with copies of {@code saved} (named by key) in torch-allocated memory, as fresh buffers are. */
    void restore(NDList saved) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        for (NDArray a : saved) {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            buffers.put(a.getName(), copy);
        }
    }

    @Override
    public void close() {
        buffers.clear();
        manager.close();
    }
}
