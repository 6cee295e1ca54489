package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.nn.Init;
import io.glimpse.train.probe.nn.Mlp;
import io.glimpse.train.probe.nn.PaddedConv2d;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.nn.RunningBatchNorm;

import java.util.Map;

/**
 * {@code cbam}: CBAM pooling (docs/heads.md#cbam). Tokens as a [B, D, h, h] map. Channel gate
 * g = sigmoid(MLP(avgpool) + MLP(maxpool)), shared bias-free MLP D -> D/16 -> D (ReLU); X1 = X * g. Spatial gate:
 * 7x7 conv (2 -> 1, padding 3, no bias) on [mean_c X1; max_c X1], BatchNorm2d(1) (affine, eps 1e-5, momentum 0.1),
 * sigmoid; X2 = X1 * gate. Output = mean over positions of ReLU(X2 + X). Default inits.
 */
public final class CbamPooling extends TokenPooling {
    private static final int REDUCTION = 16;
    private static final int KERNEL = 7;

    private final Mlp channelMlp;
    private final NDArray conv;
    private final RunningBatchNorm spatialNorm;
    private final int hidden;
    private final int grid;

    public CbamPooling(PoolingSpec spec, ParameterStore store) {
        super(spec);
        spec.requireSquareGrid();
        this.grid = spec.layout().gridH();
        this.hidden = dim / REDUCTION;
        if (hidden == 0) {
            throw new TrainInputException("--probe cbam needs D >= " + REDUCTION + " (channel reduction " + REDUCTION + "), got D=" + dim);
        }
        channelMlp = Mlp.create(store, "channel_mlp", dim, hidden, dim, false, Activation::relu);
        conv = store.parameter("spatial_conv.weight", new Shape(1, 2, KERNEL, KERNEL), Init.torchDefault(2L * KERNEL * KERNEL));
        spatialNorm = RunningBatchNorm.affine(store, "spatial_bn", 1, 1e-5);
    }

    @Override
    public NDArray pool(NDArray x, boolean training) {
        NDArray x1 = x.mul(channelGate(x).expandDims(1));
        NDArray x2 = x1.mul(spatialGate(x1, training));
        return Activation.relu(x2.add(x)).mean(new int[] {1});
    }

    /** sigmoid(MLP(avg) + MLP(max)) over positions: [B, D]. */
    private NDArray channelGate(NDArray x) {
        return Activation.sigmoid(channelMlp.forward(x.mean(new int[] {1})).add(channelMlp.forward(x.max(new int[] {1}))));
    }

    /** sigmoid(BN(conv7x7([mean_c; max_c]))) per position: [B, N, 1] (patches are row-major on the grid). */
    private NDArray spatialGate(NDArray x1, boolean training) {
        long b = x1.getShape().get(0);
        NDArray pooled = x1.mean(new int[] {2}).stack(x1.max(new int[] {2}), 1).reshape(b, 2, grid, grid);
        NDArray map = PaddedConv2d.same(pooled, conv);
        return Activation.sigmoid(spatialNorm.forward(map, training)).reshape(b, tokens, 1);
    }

    @Override
    public long parameterCount() {
        return 2L * dim * hidden + 2L * KERNEL * KERNEL + 2;
    }

    /** The channel MLP on the avg and max vectors, and the 7x7x2 conv at every position (zero padding counted). */
    @Override
    public long flopsPerSample() {
        return 2 * channelMlp.flopsPerRow() + 2L * KERNEL * KERNEL * tokens;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return Map.of("hidden", hidden, "kernel", KERNEL);
    }
}
