package io.glimpse.train.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.glimpse.train.probe.ProbeHead;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal head for loop tests (the real heads live in the probe package): mean over all tokens →
 * BatchNorm1d(affine=False, running stats) → Linear with PyTorch-default uniform init.
 */
public final class TinyHead implements ProbeHead {
    private final NDArray weight;
    private final NDArray bias;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private final int dim;
    private final int classes;
    private final Map<String, Object> options;

    public TinyHead(int dim, int classes, NDManager manager) {
        this(dim, classes, manager, Map.of());
    }

    /** A head that reports {@code options} as used, in that map's iteration order. */
    public TinyHead(int dim, int classes, NDManager manager, Map<String, Object> options) {
        this.dim = dim;
        this.classes = classes;
        this.options = options;
        float bound = (float) (1 / Math.sqrt(dim));
        weight = manager.randomUniform(-bound, bound, new Shape(classes, dim));
        bias = manager.randomUniform(-bound, bound, new Shape(classes));
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        runningMean = manager.zeros(new Shape(dim));
        runningVar = manager.ones(new Shape(dim));
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return options;
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("classifier.weight", weight);
        m.put("classifier.bias", bias);
        return m;
    }

    @Override
    public Map<String, NDArray> buffers() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("bn.running_mean", runningMean);
        m.put("bn.running_var", runningVar);
        return m;
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        NDArray pooled = tokens.mean(new int[] {1});
        NDArray normed;
        if (training) {
            NDArray mean = pooled.mean(new int[] {0});
            NDArray var = pooled.sub(mean).square().mean(new int[] {0});
            normed = pooled.sub(mean).div(var.add(1e-6).sqrt());
            long b = pooled.getShape().get(0);
            runningMean.muli(0.9).addi(mean.stopGradient().mul(0.1));
            runningVar.muli(0.9).addi(var.stopGradient().mul(0.1 * b / Math.max(1, b - 1)));
        } else {
            normed = pooled.sub(runningMean).div(runningVar.add(1e-6).sqrt());
        }
        return normed.matMul(weight.transpose()).add(bias);
    }

    @Override
    public long parameterCount() {
        return (long) dim * classes + classes;
    }

    @Override
    public long flopsPerSample() {
        return (long) dim * classes;
    }

    @Override
    public void close() {
    }
}
