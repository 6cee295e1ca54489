package io.glimpse.train.optim;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** An optimizer whose whole state is named arrays in one {@link OptimizerState}: saving, restoring and freeing it is the same for all. */
abstract class StatefulOptimizer implements Optimizer {
    protected final OptimizerState state;

    protected StatefulOptimizer(NDManager manager) {
        this.state = new OptimizerState(manager);
    }

    @Override
    public NDList saveState(NDManager manager) {
        return state.save(manager);
    }

    @Override
    public void restoreState(NDList saved) {
        state.restore(saved);
    }

    @Override
    public void close() {
        state.close();
    }
}
