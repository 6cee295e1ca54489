package io.glimpse.cache.shard;

import com.google.flatbuffers.FlatBufferBuilder;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowBuffer;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowMessage;
import org.apache.arrow.vector.ipc.message.FBSerializables;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the Arrow IPC file format (magic, schema message, record batches, end-of-stream marker, footer, magic) from
 * plain little-endian buffers, with Arrow Java's own serialisers for the flatbuffer metadata. Record batches can so
 * be filled by several threads and written by another with no Arrow vectors in between; the body layout is Arrow
 * Java's (every buffer at an 8-byte-aligned offset), and the output reads with any Arrow implementation.
 */
final class ArrowIpcFileWriter {
    /** A buffer's checksum is not known yet: {@link #writeBatch} computes it. */
    static final long CRC_UNKNOWN = -1;

    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    private static final IpcOption OPTION = IpcOption.DEFAULT;

    private final ShardOutput out;
    private final Schema schema;
    private final List<ArrowBlock> blocks = new ArrayList<>();

    ArrowIpcFileWriter(ShardOutput out, Schema schema) {
        this.out = out;
        this.schema = schema;
    }

    void start() throws IOException {
        out.write(ByteBuffer.wrap(MAGIC));
        out.alignTo8();
        writeMessage(MessageSerializer.serializeMetadata(schema, OPTION));
    }

    /**
     * One record batch of {@code rows} rows: the field nodes in schema order (depth first) and every buffer of the
     * body, from position to limit, with its CRC-32C or {@link #CRC_UNKNOWN}. The buffers' positions are consumed.
     */
    void writeBatch(int rows, List<ArrowFieldNode> nodes, ByteBuffer[] buffers, long[] crcs) throws IOException {
        long start = out.position();
        List<ArrowBuffer> layout = new ArrayList<>(buffers.length);
        long offset = 0;
        for (ByteBuffer b : buffers) {
            layout.add(new ArrowBuffer(offset, b.remaining()));
            offset = (offset + b.remaining() + 7) & ~7L;
        }
        long bodyLength = offset;
        int metadataLength = writeMessage(MessageSerializer.serializeMetadata(new BatchHeader(rows, nodes, layout, bodyLength), OPTION));
        long body = out.position();
        for (int i = 0; i < buffers.length; i++) {
            out.padTo(body + layout.get(i).getOffset());
            if (crcs[i] == CRC_UNKNOWN) out.write(buffers[i]);
            else out.write(buffers[i], (int) crcs[i]);
        }
        out.padTo(body + bodyLength);
        blocks.add(new ArrowBlock(start, metadataLength, bodyLength));
    }

    void end() throws IOException {
        out.writeIntLittleEndian(MessageSerializer.IPC_CONTINUATION_TOKEN);
        out.writeIntLittleEndian(0); // end of stream
        ByteBuffer footer = WriteChannel.serialize(new ArrowFooter(schema, List.of(), blocks, null, OPTION.metadataVersion));
        int footerLength = footer.remaining();
        out.write(footer);
        out.writeIntLittleEndian(footerLength);
        out.write(ByteBuffer.wrap(MAGIC));
    }

    /** As MessageSerializer.writeMessageBuffer: continuation, length, flatbuffer, zero padding to 8; returns the bytes written. */
    private int writeMessage(ByteBuffer message) throws IOException {
        int length = message.remaining();
        if ((length + 8) % 8 != 0) length += 8 - (length + 8) % 8;
        out.writeIntLittleEndian(MessageSerializer.IPC_CONTINUATION_TOKEN);
        out.writeIntLittleEndian(length);
        out.write(message);
        out.alignTo8();
        return length + 8;
    }

    /** A record batch's metadata, written as ArrowRecordBatch writes it (uncompressed), without holding its buffers. */
    private record BatchHeader(int rows, List<ArrowFieldNode> nodes, List<ArrowBuffer> layout, long bodyLength) implements ArrowMessage {
        @Override
        public int writeTo(FlatBufferBuilder builder) {
            RecordBatch.startNodesVector(builder, nodes.size());
            int nodesOffset = FBSerializables.writeAllStructsToVector(builder, nodes);
            RecordBatch.startBuffersVector(builder, layout.size());
            int buffersOffset = FBSerializables.writeAllStructsToVector(builder, layout);
            RecordBatch.startRecordBatch(builder);
            RecordBatch.addLength(builder, rows);
            RecordBatch.addNodes(builder, nodesOffset);
            RecordBatch.addBuffers(builder, buffersOffset);
            return RecordBatch.endRecordBatch(builder);
        }

        @Override
        public long computeBodyLength() {
            return bodyLength;
        }

        @Override
        public <T> T accepts(ArrowMessageVisitor<T> visitor) {
            throw new UnsupportedOperationException("a header only: it is serialised, never visited");
        }

        @Override
        public byte getMessageType() {
            return MessageHeader.RecordBatch;
        }

        @Override
        public void close() {
        }
    }
}
