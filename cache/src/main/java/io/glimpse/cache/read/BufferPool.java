package io.glimpse.cache.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reuses the large direct float buffers batches are gathered into, from one epoch's iterator to the next. A fresh
 * direct buffer costs a zeroing pass, page faults and, once direct memory fills, a System.gc(); for short epochs
 * that cost rivals the gathering itself. Thread-safe; keeps at most a few buffers.
 */
public final class BufferPool {
    private static final int KEEP = 8;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /** A native-order direct buffer of at least {@code floats} floats (in bytes: 4 per float). */
    public synchronized ByteBuffer take(int floats) {
        int bytes = Math.multiplyExact(floats, Float.BYTES);
        for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) {
            ByteBuffer b = it.next();
            if (b.capacity() >= bytes) {
                it.remove();
                return b.clear();
            }
        }
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    public synchronized void give(ByteBuffer b) {
        if (free.size() >= KEEP) free.removeFirst();
        free.addLast(b);
    }
}
