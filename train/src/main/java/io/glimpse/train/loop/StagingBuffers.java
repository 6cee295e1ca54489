package io.glimpse.train.loop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One reusable native-order direct buffer per layer, for batches that have no direct buffer of their own to wrap
 * (in-memory and online sources; the cache's batches are wrapped as they are). Allocating a fresh direct buffer per
 * batch (what {@code NDManager.create(FloatBuffer)} does) costs ~5x the whole data path on this machine. PyTorch's
 * from_blob aliases the buffer, so a tensor built on it must be closed before the next batch is staged: the loop
 * closes each batch's manager at step end.
 */
final class StagingBuffers {
    private final Map<String, ByteBuffer> buffers = new HashMap<>();

    /** Copies {@code tokens} (position 0..limit) into the layer's buffer; the returned view holds exactly them. */
    ByteBuffer stage(String layer, FloatBuffer tokens) {
        ByteBuffer view = reserve(layer, (long) tokens.remaining() * Float.BYTES);
        view.asFloatBuffer().put(tokens.duplicate());
        return view;
    }

    /** The layer's buffer as a view of exactly {@code bytes} bytes, for the caller to fill. */
    ByteBuffer reserve(String layer, long bytes) {
        if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("a batch of " + bytes + " token bytes is over 2 GiB");
        ByteBuffer b = buffers.get(layer);
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
            buffers.put(layer, b);
        }
        ByteBuffer view = b.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit((int) bytes);
        return view;
    }
}
