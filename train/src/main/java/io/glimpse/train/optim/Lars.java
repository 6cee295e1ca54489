package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * LARS as in MAE/MoCo-v3 {@code util/lars.py} (You et al. 2017; docs/recipe.md#optimizers). Per tensor p with gradient
 * g: if p has more than one dimension, g ← g + wd·p and g ← q·g with trust q = η‖p‖/‖g‖ (q = 1 when either norm is 0);
 * tensors with ≤ 1 dimension get neither. Then μ ← m·μ + g (no dampening, no Nesterov) and p ← p − lr·μ.
 */
public final class Lars extends StatefulOptimizer {
    public static final double DEFAULT_TRUST = 0.001;
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double weightDecay;
    private final double momentum;
    private final double trust;

    public Lars(NDManager manager, double weightDecay, double momentum, double trust) {
        super(manager);
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.trust = trust;
    }

    public Lars(NDManager manager, double weightDecay) {
        this(manager, weightDecay, DEFAULT_MOMENTUM, DEFAULT_TRUST);
    }

    @Override
    public void step(Map<String, NDArray> parameters, double lr) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray update = p.getGradient();
            if (ParamRules.isMatrixLike(p)) {
                if (weightDecay != 0) update = update.add(p.mul(weightDecay));
                double pNorm = p.norm().getFloat();
                double uNorm = update.norm().getFloat();
                double q = pNorm > 0 && uNorm > 0 ? trust * pNorm / uNorm : 1.0;
                update = update.mul(q);
            }
            NDArray g = update;
            NDArray mu = state.get(e.getKey(), () -> g.zerosLike());
            mu.muli(momentum).addi(g);
            p.subi(mu.mul(lr));
        }
    }
}
