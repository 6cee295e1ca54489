package io.glimpse.cache.read;

import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.half.Float16;
import io.glimpse.cache.quant.Int8Quantizer;
import io.glimpse.cache.shard.MappedShard;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Copies arbitrary rows of one layer from the mapped shards into one [B, T, D] buffer. Runs of consecutive rows in
 * one record batch are converted as one block, so a sequential scan is a straight widening copy; int8 tokens are
 * dequantised here ({@code q * scale}, float32) into the same float32 buffers. Holds its scratch
 * arrays, so one instance serves one thread; no per-row objects.
 */
public final class Gatherer {
    private final MappedShard[] shards;
    private final int[] shardStart;
    private final int rowValues;
    private final TokenDtype dtype;
    private final short[] halfScratch;
    private final float[] floatScratch;
    private final Int8Quantizer int8;
    private final int tokens;

    /** {@code dim}: token width (int8 dequantises token by token). */
    public Gatherer(MappedShard[] shards, int[] shardStart, int rowValues, int dim, TokenDtype dtype) {
        this.shards = shards;
        this.shardStart = shardStart;
        this.rowValues = rowValues;
        this.dtype = dtype;
        int chunk = Math.max(4096, Math.min(rowValues * 4, 1 << 16));
        this.halfScratch = new short[chunk];
        this.floatScratch = new float[chunk];
        this.int8 = dtype == TokenDtype.INT8 ? new Int8Quantizer(dim) : null;
        this.tokens = rowValues / dim;
    }

    public int shardOf(int row) {
        return shardOf(shardStart, row);
    }

    /** Shard holding global {@code row}, given each shard's first row (plus the total at the end). */
    public static int shardOf(int[] shardStart, int row) {
        int s = Arrays.binarySearch(shardStart, row);
        if (s >= 0) {
            while (s + 1 < shardStart.length && shardStart[s + 1] == row) {
                s++; // skip empty shards
            }
            return s;
        }
        return -s - 2;
    }

    /** Widens rows[0..count) of {@code layer} to float32 at {@code out} indexes 0..count*T*D. */
    public void gather(int[] rows, int count, int layer, FloatBuffer out) {
        forEachRun(rows, count, (shard, local, at, run) -> {
            long byteAt = shard.tokenByteOffset(layer, local);
            int values = run * rowValues;
            if (dtype == TokenDtype.FLOAT16) {
                Float16.toFloat(shard.halves(), (int) (byteAt >>> 1), out, at * rowValues, values, halfScratch, floatScratch);
            } else if (dtype == TokenDtype.INT8) {
                int8.dequantize(shard.bytes(), (int) byteAt, shard.floats(), (int) (shard.scaleByteOffset(layer, local) >>> 2), out, at * rowValues, run * tokens);
            } else {
                out.put(at * rowValues, shard.floats(), (int) (byteAt >>> 2), values);
            }
        });
    }

    /**
     * Copies rows[0..count) of {@code layer} in the stored dtype (raw little-endian bytes) into {@code out}; for int8
     * the quantised values only ({@link #gatherScales} has their scales).
     */
    public void gatherStored(int[] rows, int count, int layer, ByteBuffer out) {
        int rowBytes = rowValues * dtype.bytes();
        forEachRun(rows, count, (shard, local, at, run) ->
                out.put(at * rowBytes, shard.bytes(), (int) shard.tokenByteOffset(layer, local), run * rowBytes));
    }

    /** Copies the per-token scales of rows[0..count) of an int8 {@code layer} into {@code out} (indexes 0..count*T). */
    public void gatherScales(int[] rows, int count, int layer, FloatBuffer out) {
        if (dtype != TokenDtype.INT8) throw new IllegalStateException(dtype.label() + " tokens have no scales");
        forEachRun(rows, count, (shard, local, at, run) ->
                out.put(at * tokens, shard.floats(), (int) (shard.scaleByteOffset(layer, local) >>> 2), run * tokens));
    }

    /** Copies {@code run} consecutive rows of {@code shard}, from its row {@code local}, to batch position {@code at}. */
    private interface RunCopy {
        void copy(MappedShard shard, int local, int at, int run);
    }

    /** Splits rows[0..count) into runs of consecutive rows inside one record batch and hands them over in order. */
    private void forEachRun(int[] rows, int count, RunCopy copy) {
        int i = 0;
        while (i < count) {
            int row = rows[i];
            int s = shardOf(row);
            MappedShard shard = shards[s];
            int local = row - shardStart[s];
            int run = runLength(rows, i, count, local, shard);
            copy.copy(shard, local, i, run);
            i += run;
        }
    }

    private static int runLength(int[] rows, int i, int count, int local, MappedShard shard) {
        int max = Math.min(count - i, shard.contiguousRows(local));
        int run = 1;
        while (run < max && rows[i + run] == rows[i] + run) {
            run++;
        }
        return run;
    }
}
