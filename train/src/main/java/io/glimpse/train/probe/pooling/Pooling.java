package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;

import java.util.Map;
import java.util.Optional;

/**
 * The Pool stage of a probe head (docs/heads.md#common-structure): the selected tokens [B, N, D] -> [B, D'] (which
 * tokens is the registry's choice, see {@link TokenSelection}). Parameters live in the
 * {@link io.glimpse.train.probe.nn.ParameterStore} it was built with.
 */
public interface Pooling {
    /** D': width of the pooled vector. */
    int outputDim();

    /** x [B, N, D] (the selected tokens) -> [B, D']. {@code training} matters only to poolings with BatchNorm. */
    NDArray pool(NDArray x, boolean training);

    /**
     * Attention maps [B, M, N] over the N selected tokens (rows sum to 1), for poolings that have them; see each
     * implementation for what M is. Eval mode (running statistics).
     */
    default Optional<NDArray> attention(NDArray x) {
        return Optional.empty();
    }

    /**
     * Trainable scalars by the head's formula in docs/heads.md#parameter-counts (the contract test holds it against
     * the arrays).
     */
    long parameterCount();

    /**
     * Forward multiply-adds per sample of the form as computed. Convention (docs/heads.md#flops): matrix products
     * only (linear layers, attention logits and weighted sums, convolutions); elementwise work (norms, softmax,
     * activations, gates, residuals, means) is not counted, nor are products of parameters alone, which run once
     * per batch (folding a query through a key projection).
     */
    long flopsPerSample();

    /** Options as resolved (e.g. heads reduced to a divisor of D), for result.json. */
    default Map<String, Object> optionsUsed() {
        return Map.of();
    }
}
