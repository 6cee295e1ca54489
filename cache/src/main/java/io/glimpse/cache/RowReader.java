package io.glimpse.cache;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** Where a batch's rows come from: the shards' tokens, or one sidecar vector per row. */
@FunctionalInterface
interface RowReader {
    /** The float32 values of rows[0..count) of {@code layer}, one row after the other, into {@code out}. */
    void read(int[] rows, int count, int layer, FloatBuffer out);

    /** The same rows in the stored dtype, raw little-endian bytes, into {@code out}. */
    @FunctionalInterface
    interface Stored {
        void read(int[] rows, int count, int layer, ByteBuffer out);
    }
}
