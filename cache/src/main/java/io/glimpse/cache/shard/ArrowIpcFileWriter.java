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
    /** Buffers this big or bigger start at a block boundary of the file. */
    static final int ALIGN_FROM = 1 << 20;

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
        out.alignTo(8);
        writeMessage(MessageSerializer.serializeMetadata(schema, OPTION));
    }

    /**
     * One record batch of {@code rows} rows: the field nodes in schema order (depth first) and every buffer of the
     * body, from position to limit, with its CRC-32C or {@link #CRC_UNKNOWN}. The buffers' positions are consumed.
     * Buffers of at least {@link #ALIGN_FROM} bytes (token values) start at a multiple of {@link ShardOutput#BLOCK}
     * in the file, zero-padded before (Arrow readers find buffers by their recorded offsets): they can go to the disk
     * straight from memory with direct IO, and readers map them page-aligned. The layout depends only on what is
     * written, never on how, so a shard's bytes are the same either way.
     */
    void writeBatch(int rows, List<ArrowFieldNode> nodes, ByteBuffer[] buffers, long[] crcs) throws IOException {
        long start = out.position();
        // The metadata's size does not depend on the offsets' values, so a first layout tells where the body starts.
        int metadataLength = messageLength(metadata(rows, nodes, layout(buffers, 0)));
        long body = start + metadataLength;
        List<ArrowBuffer> layout = layout(buffers, body);
        ByteBuffer metadata = metadata(rows, nodes, layout);
        if (messageLength(metadata) != metadataLength) throw new IllegalStateException("record batch metadata changed size with its offsets");
        writeMessage(metadata);
        for (int i = 0; i < buffers.length; i++) {
            out.padTo(body + layout.get(i).getOffset());
            if (crcs[i] == CRC_UNKNOWN) out.write(buffers[i]);
            else out.write(buffers[i], (int) crcs[i]);
        }
        long bodyLength = bodyLength(layout);
        out.padTo(body + bodyLength);
        blocks.add(new ArrowBlock(start, metadataLength, bodyLength));
    }

    /** Offsets from the body's start, 8-byte aligned, big buffers at a block boundary of the file. */
    private static List<ArrowBuffer> layout(ByteBuffer[] buffers, long bodyStart) {
        List<ArrowBuffer> layout = new ArrayList<>(buffers.length);
        long offset = 0;
        for (ByteBuffer b : buffers) {
            if (b.remaining() >= ALIGN_FROM) offset = ((bodyStart + offset + ShardOutput.BLOCK - 1) & -(long) ShardOutput.BLOCK) - bodyStart;
            layout.add(new ArrowBuffer(offset, b.remaining()));
            offset = (offset + b.remaining() + 7) & ~7L;
        }
        return layout;
    }

    private static long bodyLength(List<ArrowBuffer> layout) {
        ArrowBuffer last = layout.get(layout.size() - 1);
        return (last.getOffset() + last.getSize() + 7) & ~7L;
    }

    private static ByteBuffer metadata(int rows, List<ArrowFieldNode> nodes, List<ArrowBuffer> layout) {
        return MessageSerializer.serializeMetadata(new BatchHeader(rows, nodes, layout, bodyLength(layout)), OPTION);
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

    /** As MessageSerializer.writeMessageBuffer: continuation, length, flatbuffer, zero padding to 8. */
    private void writeMessage(ByteBuffer message) throws IOException {
        out.writeIntLittleEndian(MessageSerializer.IPC_CONTINUATION_TOKEN);
        out.writeIntLittleEndian(messageLength(message) - 8);
        out.write(message);
        out.alignTo(8);
    }

    /** Bytes a message takes in the file: 8 bytes of prefix, the flatbuffer padded to a multiple of 8. */
    private static int messageLength(ByteBuffer message) {
        return 8 + ((message.remaining() + 7) & ~7);
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
