package io.glimpse.train.memory;

import io.glimpse.cache.TokenLayout;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeHead;

/**
 * The estimated peak training memory of one head in a pass (docs/memory.md): {@code fixedBytes} whatever the batch,
 * plus {@code bytesPerSample} for every row of a batch. Float32 throughout.
 * <ul>
 *   <li>fixed: the parameters, their gradients, the optimizer's state (one slot per parameter for LARS and SGD
 *   momentum, two for AdamW), the copy of the selected epoch's state and the copy a checkpoint takes;</li>
 *   <li>per sample: the head's own float32 copy of the tokens it reads, the logits, and the activations autograd keeps
 *   for backward. Those are estimated from the head's analytic multiply-adds: a product of inner width D writes
 *   {@code flops / D} values, and the elementwise work around each product (norms, softmax, activations) keeps
 *   tensors of the same size, {@link #ACTIVATION_FACTOR} of them per product, calibrated against measured RSS.</li>
 * </ul>
 */
public record HeadMemory(long fixedBytes, long bytesPerSample) {
    /** Tensors kept for backward per matrix-product output; fitted to measured peak RSS (docs/memory.md#calibration). */
    static final double ACTIVATION_FACTOR = 3.0;
    private static final int FLOAT = Float.BYTES;

    public static HeadMemory of(ProbeHead head, OptimizerKind optimizer, int tokenDim, int classes) {
        long params = head.parameterCount();
        long copies = 2 + optimizerSlots(optimizer) + 2;
        double activations = ACTIVATION_FACTOR * head.flopsPerSample() / Math.max(1, tokenDim);
        long perSample = (long) Math.ceil(FLOAT * (activations + head.selectedValuesPerSample() + 2.0 * classes));
        return new HeadMemory(FLOAT * params * copies, perSample);
    }

    /**
     * What every pass holds besides its heads, per batch row: the float32 tokens of each of the {@code layers} read (the
     * batch and the next one, prefetched) and the labels.
     */
    public static long batchBytesPerSample(TokenLayout layout, int layers, int classes) {
        return 2L * layers * layout.tokens() * layout.dim() * FLOAT + 2L * classes * FLOAT;
    }

    static int optimizerSlots(OptimizerKind optimizer) {
        return optimizer == OptimizerKind.ADAMW ? 2 : 1;
    }

    /** Estimated peak bytes at batch size {@code batch}. */
    public long at(int batch) {
        return fixedBytes + bytesPerSample * batch;
    }
}
