package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * SGD with heavy-ball momentum as torch.optim.SGD (dampening 0, no Nesterov): g ← g + wd·p, μ ← m·μ + g,
 * p ← p − lr·μ. Weight decay follows the LARS rule and skips tensors with ≤ 1 dimension.
 */
public final class SgdMomentum extends StatefulOptimizer {
    private final double weightDecay;
    private final double momentum;

    public SgdMomentum(NDManager manager, double weightDecay, double momentum) {
        super(manager);
        this.weightDecay = weightDecay;
        this.momentum = momentum;
    }

    @Override
    public void step(Map<String, NDArray> parameters, double lr) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            if (weightDecay != 0 && ParamRules.isMatrixLike(p)) g = g.add(p.mul(weightDecay));
            NDArray grad = g;
            NDArray mu = state.get(e.getKey(), grad::zerosLike);
            mu.muli(momentum).addi(grad);
            p.subi(mu.mul(lr));
        }
    }
}
