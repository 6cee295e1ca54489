package io.glimpse.cache.batch;

import java.nio.FloatBuffer;

/**
 * One batch of rows handed to a consumer (the trainer, k-NN, attention maps). Tokens are float32 laid out
 * [B, T, D] row-major in a direct buffer, whatever the storage dtype. The buffers stay valid until the next
 * batch is requested from the same iterator (implementations may reuse them), so copy what must outlive it.
 */
public interface TokenBatch {
    /** Number of rows B in this batch. */
    int size();

    /** Labels, length B (−1 when unknown). */
    int[] labels();

    /** Stable sample ids, length B. */
    String[] ids();

    /** Tokens of one layer, [B, T, D] float32, position 0, limit B*T*D. */
    FloatBuffer tokens(String layer);
}
