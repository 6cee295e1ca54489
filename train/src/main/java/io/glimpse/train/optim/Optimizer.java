package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * Updates one head's parameters in place from their gradients. One instance per head: it keeps that head's
 * state (momentum, moments) keyed by parameter name. Called with gradient mode off, inside an
 * {@link ai.djl.ndarray.NDScope}, so temporaries it creates are freed when the step ends; persistent state must be
 * unregistered from the scope and attached to the optimizer's own manager.
 */
public interface Optimizer extends AutoCloseable {
    /** One step at learning rate {@code lr} over {@code parameters} (name → array with gradient). */
    void step(Map<String, NDArray> parameters, double lr);

    /**
     * Copies of everything a step leaves for the next (momentum buffers, moments, step count), named, owned by
     * {@code manager}: with {@link #restoreState} a checkpoint continues exactly where training stopped.
     */
    NDList saveState(NDManager manager);

    /** Replaces the state with copies of arrays {@link #saveState} wrote. */
    void restoreState(NDList saved);

    /** Frees the optimizer state. */
    @Override
    void close();
}
