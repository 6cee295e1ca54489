package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;

import java.util.Map;
import java.util.Optional;

/**
 * A probe head: logits = Linear(BN1d(Pool(tokens))) (docs/heads.md#common-structure). Implementations own their
 * parameters (gradients attached) and buffers (BatchNorm running statistics) in the NDManager they were built with.
 * Heads never see images or ONNX: only token tensors [B, T, D] of one cached layer, CLS/prefix tokens included (each
 * head picks the tokens it reads: CLS, patches, or prefix + patches).
 */
public interface ProbeHead extends AutoCloseable {
    /** Probe name, as listed in docs/heads.md#probe-names ({@code efficient}, {@code linear}, ...). */
    String name();

    /** The options actually used (defaults resolved, e.g. heads reduced to a divisor of D). */
    Map<String, Object> optionsUsed();

    /** Trainable parameters in a stable order; each has a gradient attached. */
    Map<String, NDArray> parameters();

    /** Non-trainable state saved with the head (running statistics). */
    Map<String, NDArray> buffers();

    /** Logits [B, C]. {@code training} selects batch statistics (and updates running stats) vs running stats. */
    NDArray forward(NDArray tokens, boolean training);

    /** Attention maps [B, M, N] over the tokens the pooling reads, for heads that have them. */
    default Optional<NDArray> attention(NDArray tokens) {
        return Optional.empty();
    }

    /** Number of trainable scalars (docs/heads.md#parameter-counts; the contract test checks it against the arrays). */
    long parameterCount();

    /** Analytic forward multiply-adds per sample for pooling + BN + classifier, counted as docs/heads.md#flops says. */
    long flopsPerSample();

    /** Values per sample of the tokens this head reads, as it copies them out of the batch (memory estimates). */
    default long selectedValuesPerSample() {
        return 0;
    }

    @Override
    void close();
}
