package io.glimpse.cache.shard;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenDtype;
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
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * A shard memory-mapped read-only. Arrow Java parses the footer and each record batch's metadata once; after that
 * every row's id, label and tokens are found by offset arithmetic in the mapping, so reads copy only the bytes
 * asked for and never allocate Arrow buffers. The OS page cache is shared by every process reading the cache.
 */
public final class MappedShard {
    private final Path file;
    private final ShardSchema schema;
    private final MappedByteBuffer map;
    private final ShortBuffer halves;
    private final FloatBuffer floats;
    private final int rows;
    private final int[] batchStart;
    private final long[] idOffsetsAt;
    private final long[] idDataAt;
    private final long[] labelsAt;
    private final long[][] tokensAt;
    private final long[][] scalesAt;

    private MappedShard(Path file, ShardSchema schema, MappedByteBuffer map, int rows, int[] batchStart, long[] idOffsetsAt,
                        long[] idDataAt, long[] labelsAt, long[][] tokensAt, long[][] scalesAt) {
        this.file = file;
        this.schema = schema;
        this.map = map;
        this.halves = schema.dtype() == TokenDtype.FLOAT16 ? map.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer() : null;
        this.floats = schema.dtype() != TokenDtype.FLOAT16 ? map.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer() : null;
        this.rows = rows;
        this.batchStart = batchStart;
        this.idOffsetsAt = idOffsetsAt;
        this.idDataAt = idDataAt;
        this.labelsAt = labelsAt;
        this.tokensAt = tokensAt;
        this.scalesAt = scalesAt;
    }

    /**
     * Maps and checks a shard: size as recorded (else "truncated"/"larger than recorded"), Arrow file structure,
     * schema, row count and buffer bounds. {@code where} prefixes every error ("cache entry K: shard-00000.arrow").
     */
    public static MappedShard open(Path file, ShardSchema schema, long expectedBytes, int expectedRows, String where) {
        FixedShapeTensorType.register();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (expectedBytes >= 0 && size < expectedBytes) throw new BadInputException(where + ": truncated (" + size + " of " + expectedBytes + " bytes)");
            if (expectedBytes >= 0 && size > expectedBytes) throw new BadInputException(where + ": larger than recorded (" + size + " bytes, manifest says " + expectedBytes + ")");
            if (size > Integer.MAX_VALUE) throw new BadInputException(where + ": " + size + " bytes, more than a shard may hold");
            List<ArrowBlock> blocks;
            try (BufferAllocator alloc = new RootAllocator(); ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
                blocks = reader.getRecordBlocks();
                schema.check(reader.getVectorSchemaRoot().getSchema(), where);
                int n = blocks.size();
                int[] start = new int[n + 1];
                long[] idOff = new long[n];
                long[] idData = new long[n];
                long[] lab = new long[n];
                long[][] tok = new long[schema.layers().size()][n];
                int layers = schema.layers().size();
                long[][] scl = new long[schema.dtype().scaled() ? layers : 0][n];
                long rowBytes = (long) schema.layout().rowValues() * schema.dtype().bytes();
                long rowScaleBytes = (long) schema.layout().tokens() * Float.BYTES;
                for (int b = 0; b < n; b++) {
                    ArrowBlock block = blocks.get(b);
                    ch.position(block.getOffset());
                    MessageMetadataResult msg = MessageSerializer.readMessage(new ReadChannel(ch));
                    if (msg == null || msg.headerType() != MessageHeader.RecordBatch) throw new BadInputException(where + ": block " + b + " is not a record batch");
                    RecordBatch rb = (RecordBatch) msg.getMessage().header(new RecordBatch());
                    if (rb.compression() != null) throw new BadInputException(where + ": record batch " + b + " is compressed; Glimpse maps uncompressed shards only");
                    if (rb.buffersLength() != schema.buffers()) {
                        throw new BadInputException(where + ": record batch " + b + " has " + rb.buffersLength() + " buffers, expected " + schema.buffers());
                    }
                    for (int i = 0; i < rb.nodesLength(); i++) {
                        FieldNode node = rb.nodes(i);
                        if (node.nullCount() != 0) throw new BadInputException(where + ": record batch " + b + " has nulls in column node " + i);
                    }
                    long len = rb.length();
                    long body = block.getOffset() + block.getMetadataLength();
                    long bodyEnd = body + block.getBodyLength();
                    if (bodyEnd > size) throw new BadInputException(where + ": record batch " + b + " runs past the end of the file");
                    idOff[b] = at(rb, 1, body, bodyEnd, (len + 1) * 4, where, b);
                    idData[b] = at(rb, 2, body, bodyEnd, 0, where, b);
                    lab[b] = at(rb, 4, body, bodyEnd, len * 4, where, b);
                    for (int l = 0; l < layers; l++) {
                        tok[l][b] = at(rb, schema.tokenBuffer(l), body, bodyEnd, len * rowBytes, where, b);
                        if (tok[l][b] % schema.dtype().bytes() != 0) throw new BadInputException(where + ": record batch " + b + " token values are misaligned");
                        if (scl.length > 0) {
                            scl[l][b] = at(rb, schema.scaleBuffer(l), body, bodyEnd, len * rowScaleBytes, where, b);
                            if (scl[l][b] % Float.BYTES != 0) throw new BadInputException(where + ": record batch " + b + " token scales are misaligned");
                        }
                    }
                    start[b + 1] = Math.addExact(start[b], (int) len);
                }
                if (expectedRows >= 0 && start[n] != expectedRows) {
                    throw new BadInputException(where + ": holds " + start[n] + " rows, the manifest says " + expectedRows);
                }
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
                map.order(ByteOrder.LITTLE_ENDIAN);
                return new MappedShard(file, schema, map, start[n], start, idOff, idData, lab, tok, scl);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": missing");
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new BadInputException(where + ": not a readable Arrow file (" + why + ")", e);
        }
    }

    private static long at(RecordBatch rb, int buffer, long body, long bodyEnd, long minLength, String where, int b) {
        Buffer buf = rb.buffers(buffer);
        long start = body + buf.offset();
        if (buf.offset() < 0 || buf.length() < minLength || start + buf.length() > bodyEnd) {
            throw new BadInputException(where + ": record batch " + b + " buffer " + buffer + " is out of bounds or too short");
        }
        return start;
    }

    public Path file() {
        return file;
    }

    public int rows() {
        return rows;
    }

    public TokenDtype dtype() {
        return schema.dtype();
    }

    private int batchOf(int row) {
        int b = Arrays.binarySearch(batchStart, row);
        if (b < 0) return -b - 2;
        while (b + 1 < batchStart.length - 1 && batchStart[b + 1] == row) {
            b++; // skip empty record batches (other writers may emit them)
        }
        return Math.min(b, batchStart.length - 2);
    }

    public int label(int row) {
        int b = batchOf(row);
        return map.getInt((int) (labelsAt[b] + 4L * (row - batchStart[b])));
    }

    public String id(int row) {
        int b = batchOf(row);
        int r = row - batchStart[b];
        int from = map.getInt((int) (idOffsetsAt[b] + 4L * r));
        int to = map.getInt((int) (idOffsetsAt[b] + 4L * (r + 1)));
        byte[] bytes = new byte[to - from];
        map.get((int) (idDataAt[b] + from), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Byte offset in the file of the first token value of {@code row} in layer {@code layer}. */
    public long tokenByteOffset(int layer, int row) {
        int b = batchOf(row);
        return tokensAt[layer][b] + (long) (row - batchStart[b]) * schema.layout().rowValues() * schema.dtype().bytes();
    }

    /** Byte offset in the file of the first token scale of {@code row} in layer {@code layer} (int8 shards only). */
    public long scaleByteOffset(int layer, int row) {
        int b = batchOf(row);
        return scalesAt[layer][b] + (long) (row - batchStart[b]) * schema.layout().tokens() * Float.BYTES;
    }

    /** How many rows starting at {@code row} lie contiguously in the same record batch. */
    public int contiguousRows(int row) {
        int b = batchOf(row);
        return batchStart[b + 1] - row;
    }

    /** The mapping as little-endian halves (float16 shards) or null. Indexes are byte offsets / 2. */
    public ShortBuffer halves() {
        return halves;
    }

    /** The mapping as little-endian floats (float32 shards; int8 shards' scales) or null. Indexes are byte offsets / 4. */
    public FloatBuffer floats() {
        return floats;
    }

    /** The whole mapping, little-endian; callers use absolute indexes only. */
    public MappedByteBuffer bytes() {
        return map;
    }
}
