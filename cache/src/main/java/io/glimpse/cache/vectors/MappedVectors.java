package io.glimpse.cache.vectors;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.shard.FixedShapeTensorType;
import io.glimpse.cache.store.EntryVerifier;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * An entry's vector sidecar, checked and memory-mapped read-only: the record matches the entry (key, rows, dim,
 * layers), the file has the recorded size and CRC-32C, is a well-formed Arrow file with the sidecar schema and row
 * count. Each record batch body is mapped on its own (so the file may exceed 2 GiB); a row's vector is then found
 * by offset arithmetic.
 */
public final class MappedVectors {
    private final int dim;
    private final int layers;
    private final int[] batchStart;
    private final FloatBuffer[][] values; // [column][batch]

    private MappedVectors(int dim, int layers, int[] batchStart, FloatBuffer[][] values) {
        this.dim = dim;
        this.layers = layers;
        this.batchStart = batchStart;
        this.values = values;
    }

    /** Opens and checks the sidecar of the entry {@code manifest} describes; every problem is one line naming the file. */
    public static MappedVectors open(Path entryDir, Manifest manifest, String where) {
        VectorRecord rec = VectorRecord.read(entryDir, where);
        String at = where + ": " + VectorRecord.DATA_FILE;
        if (!rec.key().equals(manifest.key())) throw new BadInputException(where + ": " + VectorRecord.FILE + " is for entry " + rec.key() + ", not this one");
        if (rec.rows() != manifest.rows() || rec.dim() != manifest.layout().dim() || rec.prefixTokens() != manifest.layout().prefixTokens()
                || !rec.layers().equals(manifest.description().layers())) {
            throw new BadInputException(where + ": " + VectorRecord.FILE + " records " + rec.rows() + " rows, dim " + rec.dim() + ", layers " + rec.layers()
                    + "; the entry has " + manifest.rows() + " rows, dim " + manifest.layout().dim() + ", layers " + manifest.description().layers());
        }
        Path file = entryDir.resolve(VectorRecord.DATA_FILE);
        VectorSchema schema = new VectorSchema(manifest.layout(), manifest.description().layers());
        try {
            long size = Files.size(file);
            if (size != rec.bytes()) {
                throw new BadInputException(at + (size < rec.bytes() ? ": truncated (" + size + " of " + rec.bytes() + " bytes)" : ": larger than recorded (" + size + " bytes, " + VectorRecord.FILE + " says " + rec.bytes() + ")"));
            }
            String crc = EntryVerifier.crc32c(file, null);
            if (!crc.equals(rec.crc32c())) throw new BadInputException(at + ": checksum mismatch (crc32c recorded " + rec.crc32c() + ", computed " + crc + ")");
            return map(file, schema, rec.rows(), at);
        } catch (NoSuchFileException e) {
            throw new BadInputException(at + ": missing");
        } catch (IOException e) {
            throw new BadInputException(at + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static MappedVectors map(Path file, VectorSchema schema, long expectedRows, String at) throws IOException {
        FixedShapeTensorType.register();
        int columns = schema.columns();
        long rowBytes = (long) schema.layout().dim() * Float.BYTES;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
             BufferAllocator alloc = new RootAllocator(); ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
            List<ArrowBlock> blocks;
            try {
                blocks = reader.getRecordBlocks();
                schema.check(reader.getVectorSchemaRoot().getSchema(), at);
            } catch (BadInputException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BadInputException(at + ": not a readable Arrow file (" + firstLine(e) + ")", e);
            }
            int n = blocks.size();
            int[] start = new int[n + 1];
            FloatBuffer[][] values = new FloatBuffer[columns][n];
            long size = ch.size();
            for (int b = 0; b < n; b++) {
                ArrowBlock block = blocks.get(b);
                ch.position(block.getOffset());
                MessageMetadataResult msg = MessageSerializer.readMessage(new ReadChannel(ch));
                if (msg == null || msg.headerType() != MessageHeader.RecordBatch) throw new BadInputException(at + ": block " + b + " is not a record batch");
                RecordBatch rb = (RecordBatch) msg.getMessage().header(new RecordBatch());
                if (rb.compression() != null) throw new BadInputException(at + ": record batch " + b + " is compressed");
                if (rb.buffersLength() != VectorSchema.buffersPerBatch(columns)) throw new BadInputException(at + ": record batch " + b + " has " + rb.buffersLength() + " buffers, expected " + VectorSchema.buffersPerBatch(columns));
                for (int i = 0; i < rb.nodesLength(); i++) {
                    FieldNode node = rb.nodes(i);
                    if (node.nullCount() != 0) throw new BadInputException(at + ": record batch " + b + " has nulls in column node " + i);
                }
                long len = rb.length();
                long body = block.getOffset() + block.getMetadataLength();
                long bodyLength = block.getBodyLength();
                if (body + bodyLength > size || bodyLength > Integer.MAX_VALUE) throw new BadInputException(at + ": record batch " + b + " runs past the end of the file");
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, body, bodyLength);
                for (int c = 0; c < columns; c++) {
                    Buffer buf = rb.buffers(VectorSchema.valuesBuffer(c));
                    if (buf.offset() < 0 || buf.offset() % Float.BYTES != 0 || buf.length() < len * rowBytes || buf.offset() + buf.length() > bodyLength) {
                        throw new BadInputException(at + ": record batch " + b + " column " + c + " values are out of bounds or misaligned");
                    }
                    values[c][b] = map.duplicate().position((int) buf.offset()).limit((int) (buf.offset() + len * rowBytes))
                            .slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                }
                start[b + 1] = Math.addExact(start[b], (int) len);
            }
            if (start[n] != expectedRows) throw new BadInputException(at + ": holds " + start[n] + " rows, " + VectorRecord.FILE + " says " + expectedRows);
            return new MappedVectors(schema.layout().dim(), schema.layers().size(), start, values);
        }
    }

    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    public int rows() {
        return batchStart[batchStart.length - 1];
    }

    public int dim() {
        return dim;
    }

    /** Copies the {@code kind} vector of {@code layer} for rows[0..count) to {@code out} indexes 0..count*D. */
    public void gather(int[] rows, int count, int layer, VectorKind kind, FloatBuffer out) {
        if (layer < 0 || layer >= layers) throw new IndexOutOfBoundsException("layer " + layer + " of " + layers);
        FloatBuffer[] col = values[VectorSchema.column(layer, kind)];
        int i = 0;
        while (i < count) {
            int row = rows[i];
            int b = batchOf(row);
            int local = row - batchStart[b];
            int max = Math.min(count - i, batchStart[b + 1] - row);
            int run = 1;
            while (run < max && rows[i + run] == row + run) run++;
            out.put(i * dim, col[b], local * dim, run * dim);
            i += run;
        }
    }

    private int batchOf(int row) {
        if (row < 0 || row >= rows()) throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows() + ")");
        int b = Arrays.binarySearch(batchStart, row);
        if (b < 0) return -b - 2;
        while (b + 1 < batchStart.length - 1 && batchStart[b + 1] == row) b++;
        return Math.min(b, batchStart.length - 2);
    }
}
