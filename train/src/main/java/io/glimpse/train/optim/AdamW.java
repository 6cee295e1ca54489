package io.glimpse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) as torch.optim.AdamW: decoupled decay p ← p·(1 − lr·wd), then Adam with
 * bias-corrected moments. Decay skips tensors with ≤ 1 dimension, the same rule as LARS.
 */
public final class AdamW extends StatefulOptimizer {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;
    private static final String STEPS = "steps";

    private final double weightDecay;
    private long steps;

    public AdamW(NDManager manager, double weightDecay) {
        super(manager);
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, NDArray> parameters, double lr) {
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            NDArray m = state.get(e.getKey() + "/m", g::zerosLike);
            NDArray v = state.get(e.getKey() + "/v", g::zerosLike);
            if (weightDecay != 0 && ParamRules.isMatrixLike(p)) p.muli(1 - lr * weightDecay);
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray denom = v.div(c2).sqrt().addi(EPS);
            p.subi(m.div(denom).muli(lr / c1));
        }
    }

    /** The moments plus the step count, which sets the bias correction, as a scalar named {@value #STEPS}. */
    @Override
    public NDList saveState(NDManager manager) {
        NDList out = state.save(manager);
        NDArray count = manager.create(steps);
        count.setName(STEPS);
        out.add(count);
        return out;
    }

    @Override
    public void restoreState(NDList saved) {
        NDList moments = new NDList();
        long count = -1;
        for (NDArray a : saved) {
            if (STEPS.equals(a.getName())) count = a.getLong();
            else moments.add(a);
        }
        if (count < 0) throw new IllegalArgumentException("AdamW state without its step count '" + STEPS + "'");
        steps = count;
        state.restore(moments);
    }
}
