package io.glimpse.cache.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The bytes of one shard file as they are written, counted and checksummed (CRC-32C, in file order) on the way, so
 * the checksum costs no second read. Buffers a worker thread already checksummed are folded in with
 * {@link Crc32c#combine}; the small ones (metadata, ids, labels, padding) are checksummed here. CRC-32C catches torn
 * writes and flipped bytes; Glimpse needs no cryptographic hash. Used by one thread at a time.
 */
final class ShardOutput {
    private final FileChannel channel;
    private final CRC32C scratch = new CRC32C();
    private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long position;
    private int crc;

    ShardOutput(FileChannel channel) {
        this.channel = channel;
    }

    /** Writes all of {@code b}, checksumming it here. */
    void write(ByteBuffer b) throws IOException {
        scratch.reset();
        scratch.update(b.duplicate());
        write(b, (int) scratch.getValue());
    }

    /** Writes all of {@code b}, whose CRC-32C the caller computed. */
    void write(ByteBuffer b, int crcOfB) throws IOException {
        int length = b.remaining();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        crc = Crc32c.combine(crc, crcOfB, length);
        position += length;
    }

    void writeIntLittleEndian(int v) throws IOException {
        small.clear();
        small.putInt(0, v).limit(4);
        write(small);
    }

    /** Zero bytes up to the next multiple of 8, the alignment Arrow's IPC format asks for. */
    void alignTo8() throws IOException {
        padTo((position + 7) & ~7L);
    }

    /** Zero bytes up to {@code target}. */
    void padTo(long target) throws IOException {
        while (position < target) {
            small.clear();
            small.putLong(0, 0L).limit((int) Math.min(8, target - position));
            write(small);
        }
    }

    long position() {
        return position;
    }

    String crcHex() {
        return String.format("%08x", crc);
    }
}
