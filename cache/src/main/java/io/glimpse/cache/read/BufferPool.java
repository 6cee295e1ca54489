package io.glimpse.cache.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reuses the large direct float buffers batches are gathered into, from one epoch's iterator to the next. A fresh
 * direct buffer costs a zeroing pass, page faults and, once direct memory fills, a System.gc(); for short epochs
 * that cost rivals the gathering itself. Thread-safe. It only ever holds buffers that epochs held at once (a mapped
 * epoch one per layer, a streaming one the batches it reads ahead), up to {@link #KEEP}.
 */
public final class BufferPool {
    private static final int KEEP = 64;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int allocated;

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
        allocated++;
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** Buffers allocated so far (not reused), so a bound on them can be checked. */
    public synchronized int allocated() {
        return allocated;
    }

    public synchronized void give(ByteBuffer b) {
        if (free.size() >= KEEP) free.removeFirst();
        free.addLast(b);
    }
}
