package io.glimpse.train.loop;

import ai.djl.ndarray.NDArray;

/** Losses of the recipe (docs/recipe.md#batches-and-epochs). */
final class Losses {
    private Losses() {
    }

    /** Plain cross-entropy, mean over the batch: −Σ_c onehot·log_softmax(logits), no label smoothing. */
    static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }
}
