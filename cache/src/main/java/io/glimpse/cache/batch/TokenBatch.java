package io.glimpse.cache.batch;

import java.nio.ByteBuffer;
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

    /**
     * The same tokens as a native-order direct byte buffer (position 0, limit B*T*D*4) over the batch's own storage,
     * when the implementation has one, so a consumer can wrap them without copying (PyTorch's from_blob); null
     * otherwise. Same lifetime as {@link #tokens}.
     */
    default ByteBuffer tokenBytes(String layer) {
        return null;
    }

    /**
     * The same tokens as stored, IEEE float16 [B, T, D] in a native-order direct byte buffer (position 0, limit
     * B*T*D*2), when the source holds float16 and can hand it over unwidened; null otherwise. A consumer that widens
     * faster than Java does (a tensor engine's vectorised conversion) reads these instead of {@link #tokens}. Same
     * lifetime as {@link #tokens}.
     */
    default ByteBuffer halfTokenBytes(String layer) {
        return null;
    }
}
