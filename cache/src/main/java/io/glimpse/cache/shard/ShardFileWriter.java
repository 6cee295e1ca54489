package io.glimpse.cache.shard;

import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.half.Float16;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;

/**
 * Writes one shard file (Arrow IPC file format, uncompressed) in record batches of at most {@code batchRows} rows.
 * Tokens go straight from the caller's float32 buffers into the Arrow value buffers, narrowed to float16 when that
 * is the storage dtype; no per-row objects beyond the id bytes. {@link #finish()} writes the footer and fsyncs;
 * renaming and recording the shard is the caller's job.
 */
public final class ShardFileWriter implements AutoCloseable {
    private final Path file;
    private final ShardSchema schema;
    private final int batchRows;
    private final int rowValues;
    private final FileChannel channel;
    private final Crc32cChannel out;
    private final VectorSchemaRoot root;
    private final ArrowFileWriter writer;
    private final VarCharVector ids;
    private final IntVector labels;
    private final FixedSizeListVector[] tokens;
    private final ShortBuffer[] halfValues;
    private final FloatBuffer[] floatValues;
    private final float[] scratchFloat = new float[8192];
    private final short[] scratchHalf = new short[8192];
    private int fill;
    private int rows;
    private boolean finished;

    public ShardFileWriter(Path file, ShardSchema schema, int batchRows, Map<String, String> schemaMetadata, BufferAllocator allocator) throws IOException {
        this.file = file;
        this.schema = schema;
        this.batchRows = batchRows;
        this.rowValues = schema.layout().rowValues();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        this.out = new Crc32cChannel(channel);
        this.root = VectorSchemaRoot.create(schema.toArrow(schemaMetadata), allocator);
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(batchRows);
            v.allocateNew();
        }
        this.ids = (VarCharVector) root.getVector(0);
        this.labels = (IntVector) root.getVector(1);
        int layers = schema.layers().size();
        this.tokens = new FixedSizeListVector[layers];
        this.halfValues = new ShortBuffer[layers];
        this.floatValues = new FloatBuffer[layers];
        long valueBytes = (long) batchRows * rowValues * schema.dtype().bytes();
        for (int l = 0; l < layers; l++) {
            FixedSizeListVector list = ((FixedShapeTensorVector) root.getVector(2 + l)).getUnderlyingVector();
            while (list.getValueCapacity() < batchRows || list.getDataVector().getDataBuffer().capacity() < valueBytes) {
                list.reAlloc();
            }
            ArrowBuf data = list.getDataVector().getDataBuffer();
            var nio = data.nioBuffer(0, (int) valueBytes).order(ByteOrder.LITTLE_ENDIAN);
            if (schema.dtype() == TokenDtype.FLOAT16) halfValues[l] = nio.asShortBuffer();
            else floatValues[l] = nio.asFloatBuffer();
            tokens[l] = list;
        }
        this.writer = new ArrowFileWriter(root, null, out);
        writer.start();
    }

    /**
     * Appends rows {@code from .. from+n-1} of the caller's arrays; {@code layerTokens.get(l)} holds [rows, T, D]
     * float32 from its position, in the schema's layer order.
     */
    public void append(String[] rowIds, int[] rowLabels, List<FloatBuffer> layerTokens, int from, int n) throws IOException {
        for (int r = from; r < from + n; r++) {
            byte[] id = rowIds[r].getBytes(StandardCharsets.UTF_8);
            ids.setSafe(fill, id);
            labels.set(fill, rowLabels[r]);
            for (int l = 0; l < tokens.length; l++) {
                FloatBuffer src = layerTokens.get(l);
                int srcAt = src.position() + r * rowValues;
                int dstAt = fill * rowValues;
                if (halfValues[l] != null) {
                    Float16.fromFloat(src, srcAt, halfValues[l], dstAt, rowValues, scratchFloat, scratchHalf);
                } else {
                    floatValues[l].put(dstAt, src, srcAt, rowValues);
                }
            }
            fill++;
            rows++;
            if (fill == batchRows) flushBatch();
        }
    }

    /** Rows appended so far, flushed or not. */
    public int rows() {
        return rows;
    }

    private void flushBatch() throws IOException {
        if (fill == 0) return;
        for (FixedSizeListVector list : tokens) {
            markValid(list.getValidityBuffer(), fill);
            markValid(list.getDataVector().getValidityBuffer(), fill * rowValues);
        }
        root.setRowCount(fill);
        writer.writeBatch();
        // ids and labels are rebuilt per batch; the token buffers keep their validity bits and are overwritten.
        ids.reset();
        labels.reset();
        fill = 0;
    }

    private static void markValid(ArrowBuf validity, int count) {
        long fullBytes = count / 8;
        if (fullBytes > 0) validity.setOne(0L, fullBytes);
        for (int i = (int) (fullBytes * 8); i < count; i++) {
            BitVectorHelper.setBit(validity, i);
        }
    }

    /** Flushes the last batch, writes the footer, fsyncs. Returns the file's size and CRC-32C. */
    public Written finish() throws IOException {
        flushBatch();
        writer.end();
        channel.force(true);
        finished = true;
        Written w = new Written(file, rows, out.bytes(), out.crcHex());
        close();
        return w;
    }

    /** Closes without finishing and deletes the unfinished file: a killed or aborted shard leaves nothing. */
    public void abort() {
        close();
        if (!finished) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is removed by the next writer of this entry
            }
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (RuntimeException ignored) {
            // closing after a failed write: the file is abandoned anyway
        }
        root.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to flush
        }
    }

    /** A finished shard file. */
    public record Written(Path file, int rows, long bytes, String crc32c) {
    }
}
