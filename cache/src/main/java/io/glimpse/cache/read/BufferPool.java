package io.glimpse.cache.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reuses the large direct float buffers batches are gathered into, from one epoch's iterator to the next. A fresh
 * direct buffer costs a zeroing pass, page faults and, once direct memory fills, a System.gc(); for short epochs
 * that cost rivals the gathering itself. Thread-safe; keeps at most a few buffers.
 */
public final class BufferPool {
    private static final int KEEP = 8;
    private final ArrayDeque<FloatBuffer> free = new ArrayDeque<>();

    /** A native-order direct buffer of at least {@code floats} floats. */
    public synchronized FloatBuffer take(int floats) {
        for (Iterator<FloatBuffer> it = free.iterator(); it.hasNext(); ) {
            FloatBuffer b = it.next();
            if (b.capacity() >= floats) {
                it.remove();
                return b.clear();
            }
        }
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public synchronized void give(FloatBuffer b) {
        if (free.size() >= KEEP) free.removeFirst();
        free.addLast(b);
    }
}
