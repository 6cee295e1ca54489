package io.glimpse.eval.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.eval.complementarity.AttentionMaps;
import io.glimpse.train.probe.ProbeHead;

import java.nio.FloatBuffer;
import java.util.Optional;

/** Runs a head's {@link ProbeHead#attention} on one batch of cached tokens and hands the maps back as plain floats. */
public final class AttentionReader {
    private AttentionReader() {
    }

    /** Maps [B, M, N] of one batch, or empty when the head has none (see {@code ProbeInfo.attentionMaps}). */
    public static Optional<AttentionMaps> read(ProbeHead head, TokenBatch batch, String layer, TokenLayout layout, NDManager manager) {
        return read(head, batch.tokens(layer), batch.size(), layout, manager);
    }

    /** As above for {@code count} rows of tokens [count, T, D] in a float buffer. */
    public static Optional<AttentionMaps> read(ProbeHead head, FloatBuffer rows, int count, TokenLayout layout, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray tokens = m.create(rows, new Shape(count, layout.tokens(), layout.dim()), DataType.FLOAT32);
            Optional<NDArray> att = head.attention(tokens);
            if (att.isEmpty()) return Optional.empty();
            NDArray a = att.get();
            long[] s = a.getShape().getShape();
            if (s.length != 3 || s[0] != count) {
                throw new IllegalStateException(head.name() + ".attention returned shape " + a.getShape() + ", expected [B, M, N]");
            }
            float[] values = a.toType(DataType.FLOAT32, false).toFloatArray();
            a.close();
            return Optional.of(new AttentionMaps(values, (int) s[0], (int) s[1], (int) s[2]));
        }
    }
}
