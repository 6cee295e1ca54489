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
 *   <li>per sample: the activations autograd keeps for backward, and the logits. Two terms: tensors the size of the
 *   tokens the head reads (its own float32 copy of them, normalised tokens, key and value projections), counted as
 *   {@link #TOKEN_FACTOR} copies of its selection; and the outputs of its matrix products beyond those, counted from
 *   its analytic multiply-adds (a product of inner width D writes {@code flops / D} values) times
 *   {@link #FLOP_FACTOR} for the elementwise work around them (softmax, activations) kept at the same size.</li>
 * </ul>
 * Both factors were fitted to the peak RSS of one-epoch runs at two shapes and two batch sizes each (bench/memory.sh,
 * docs/memory.md#calibration) as an upper envelope: no measured head needed more than its estimate.
 */
public record HeadMemory(long fixedBytes, long bytesPerSample) {
    /** Token-sized tensors kept per sample, in copies of the head's selection (docs/memory.md#calibration). */
    static final double TOKEN_FACTOR = 3.7;
    /** Tensors kept per matrix-product output value (docs/memory.md#calibration). */
    static final double FLOP_FACTOR = 1.7;
    private static final int FLOAT = Float.BYTES;

    public static HeadMemory of(ProbeHead head, OptimizerKind optimizer, int tokenDim, int classes) {
        long params = head.parameterCount();
        long copies = 2 + optimizerSlots(optimizer) + 2;
        double activations = TOKEN_FACTOR * head.selectedValuesPerSample() + FLOP_FACTOR * head.flopsPerSample() / Math.max(1, tokenDim);
        long perSample = (long) Math.ceil(FLOAT * (activations + 2.0 * classes));
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
