package io.glimpse.cache.shard;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One record batch being filled: ids, labels and every layer's token values (and, for int8, per-token scales) in
 * little-endian buffers laid out as the file stores them, plus each layer's token CRC-32C as the converting threads
 * leave it. A {@link WritePipeline}
 * owns a few and recycles them, so writing allocates nothing per batch.
 *
 * <p>No column has nulls, so every validity buffer is written empty (null count 0), which Arrow allows and every
 * Arrow reader accepts; a shard spends no bitmap on tokens (1 bit per value, 6.25% of float16 data).
 */
final class BatchSlot implements AutoCloseable {
    private static final ByteBuffer NO_VALIDITY = ByteBuffer.allocateDirect(0);

    private final BufferAllocator allocator;
    private final int capacity;
    private final int rowValues;
    private final long rowBytes;
    private final ArrowBuf offsetsBuf;
    private final ArrowBuf labelsBuf;
    private final ArrowBuf[] tokenBufs;
    private final ArrowBuf[] scaleBufs;
    private final ShardSchema schema;
    private final int tokensPerRow;
    private final ByteBuffer offsets;
    private final ByteBuffer labels;
    private final ByteBuffer[] tokens;
    private final ByteBuffer[] scales;
    private final int[] tokenCrc;
    private ArrowBuf idBuf;
    private ByteBuffer idData;
    private int rows;

    BatchSlot(ShardSchema schema, int capacity, BufferAllocator allocator) {
        this.allocator = allocator;
        this.schema = schema;
        this.capacity = capacity;
        this.tokensPerRow = schema.layout().tokens();
        this.rowValues = schema.layout().rowValues();
        this.rowBytes = (long) rowValues * schema.dtype().bytes();
        int layers = schema.layers().size();
        long tokenBytes = capacity * rowBytes;
        if (tokenBytes > Integer.MAX_VALUE - 2 * ShardOutput.BLOCK) throw new IllegalArgumentException("a record batch of " + capacity + " rows holds " + tokenBytes + " token bytes, more than 2 GiB");
        this.tokenBufs = new ArrowBuf[layers];
        this.tokens = new ByteBuffer[layers];
        int scaleLayers = schema.dtype().scaled() ? layers : 0;
        this.scaleBufs = new ArrowBuf[scaleLayers];
        this.scales = new ByteBuffer[scaleLayers];
        this.tokenCrc = new int[layers];
        this.offsetsBuf = allocator.buffer(4L * (capacity + 1));
        this.offsets = view(offsetsBuf);
        this.labelsBuf = allocator.buffer(4L * capacity);
        this.labels = view(labelsBuf);
        for (int l = 0; l < layers; l++) {
            // block-aligned memory, so that direct IO can write the values in place
            tokenBufs[l] = allocator.buffer(((tokenBytes + ShardOutput.BLOCK - 1) & -ShardOutput.BLOCK) + ShardOutput.BLOCK);
            tokens[l] = tokenBufs[l].nioBuffer(0, (int) tokenBufs[l].capacity()).alignedSlice(ShardOutput.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (int l = 0; l < scaleLayers; l++) {
            scaleBufs[l] = allocator.buffer((long) Float.BYTES * capacity * tokensPerRow);
            scales[l] = view(scaleBufs[l]);
        }
        this.idBuf = allocator.buffer(Math.max(64, 24L * capacity));
        this.idData = view(idBuf);
        clear();
    }

    private static ByteBuffer view(ArrowBuf buf) {
        return buf.nioBuffer(0, (int) buf.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    }

    void clear() {
        rows = 0;
        offsets.putInt(0, 0);
        Arrays.fill(tokenCrc, 0); // the CRC-32C of nothing
    }

    int rows() {
        return rows;
    }

    int free() {
        return capacity - rows;
    }

    /** Rows {@code from .. from+n-1} of the caller's ids and labels, placed after the rows already here. */
    void putIdsAndLabels(String[] ids, int[] rowLabels, int from, int n) {
        for (int i = 0; i < n; i++) {
            byte[] id = ids[from + i].getBytes(StandardCharsets.UTF_8);
            int start = offsets.getInt(4 * (rows + i));
            if (start + id.length > idData.capacity()) growIds(start + id.length);
            idData.put(start, id);
            offsets.putInt(4 * (rows + i + 1), start + id.length);
            labels.putInt(4 * (rows + i), rowLabels[from + i]);
        }
    }

    private void growIds(int need) {
        ArrowBuf bigger = allocator.buffer(Math.max(need, 2 * idBuf.capacity()));
        bigger.setBytes(0, idBuf, 0, idBuf.capacity());
        idBuf.close();
        idBuf = bigger;
        idData = view(bigger);
    }

    /** Layer {@code layer}'s token buffer, indexed absolutely; row r's values start at byte r·T·D·bytes. */
    ByteBuffer tokens(int layer) {
        return tokens[layer];
    }

    /** Layer {@code layer}'s per-token scales (int8 only), indexed absolutely; row r's start at byte r·T·4. */
    ByteBuffer scales(int layer) {
        return scales[layer];
    }

    /** Appends the checksum of the next {@code bytes} token bytes of {@code layer} to the layer's running one. */
    void foldTokenCrc(int layer, int crc, long bytes) {
        tokenCrc[layer] = Crc32c.combine(tokenCrc[layer], crc, bytes);
    }

    /** Counts {@code n} more rows whose ids, labels and tokens are in place. */
    void advance(int n) {
        if (n < 0 || rows + n > capacity) throw new IllegalArgumentException(n + " rows do not fit: " + rows + " of " + capacity + " taken");
        rows += n;
    }

    /** Writes the rows held as one record batch. */
    void writeTo(ArrowIpcFileWriter file) throws java.io.IOException {
        int layers = tokens.length;
        List<ArrowFieldNode> nodes = new ArrayList<>(2 + 2 * layers);
        nodes.add(new ArrowFieldNode(rows, 0)); // id
        nodes.add(new ArrowFieldNode(rows, 0)); // label
        ByteBuffer[] body = new ByteBuffer[schema.buffers()];
        long[] crcs = new long[body.length];
        Arrays.fill(crcs, ArrowIpcFileWriter.CRC_UNKNOWN);
        body[0] = NO_VALIDITY.duplicate();
        body[1] = offsets.duplicate().position(0).limit(4 * (rows + 1));
        body[2] = idData.duplicate().position(0).limit(offsets.getInt(4 * rows));
        body[3] = NO_VALIDITY.duplicate();
        body[4] = labels.duplicate().position(0).limit(4 * rows);
        for (int l = 0; l < layers; l++) {
            nodes.add(new ArrowFieldNode(rows, 0)); // the tensor list
            nodes.add(new ArrowFieldNode((long) rows * rowValues, 0)); // its values
            int at = schema.tokenBuffer(l);
            body[at - 2] = NO_VALIDITY.duplicate();
            body[at - 1] = NO_VALIDITY.duplicate();
            body[at] = tokens[l].duplicate().position(0).limit((int) (rows * rowBytes));
            crcs[at] = tokenCrc[l] & 0xffffffffL;
            if (scales.length > 0) {
                nodes.add(new ArrowFieldNode(rows, 0)); // the scale list
                nodes.add(new ArrowFieldNode((long) rows * tokensPerRow, 0)); // its values
                int sc = schema.scaleBuffer(l);
                body[sc - 2] = NO_VALIDITY.duplicate();
                body[sc - 1] = NO_VALIDITY.duplicate();
                body[sc] = scales[l].duplicate().position(0).limit(rows * tokensPerRow * Float.BYTES); // checksummed as written: T/D of the tokens' bytes
            }
        }
        file.writeBatch(rows, nodes, body, crcs);
    }

    @Override
    public void close() {
        offsetsBuf.close();
        labelsBuf.close();
        idBuf.close();
        for (ArrowBuf b : tokenBufs) {
            b.close();
        }
        for (ArrowBuf b : scaleBufs) {
            b.close();
        }
    }
}
