package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;

/**
 * The MAE/MoCo-v3 rule every Glimpse optimizer shares (docs/recipe.md#weight-decay): tensors with at most one dimension
 * (biases, LayerNorm/BatchNorm affine, LayerScale gammas) get neither weight decay nor the LARS trust ratio.
 */
final class ParamRules {
    private ParamRules() {
    }

    static boolean isMatrixLike(NDArray p) {
        return p.getShape().dimension() > 1;
    }
}
