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
 *
 * <p>With direct IO (the file opened with O_DIRECT) the bytes go from memory to the disk without the page cache: no
 * kernel copy, no dirty pages to write back before the fsync, a few percent of a CPU per GB/s instead of most of
 * one. The kernel then takes only whole {@link #BLOCK}-byte blocks at block-aligned file offsets from block-aligned
 * memory: a block-aligned buffer at a block-aligned position goes out in place but for its last partial block, the
 * rest is gathered in an aligned staging buffer, and {@link #close} pads the last block and truncates the file to
 * its real length.
 */
final class ShardOutput {
    /** The alignment direct IO asks for here; file systems with larger blocks are written through the page cache. */
    static final int BLOCK = 4096;
    private static final int STAGING = 1 << 20;

    private final FileChannel channel;
    private final boolean direct;
    private final ByteBuffer staging;
    private final CRC32C scratch = new CRC32C();
    private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long position;
    /** Direct IO: the file offset where the staging buffer's bytes go (block-aligned). */
    private long stagedAt;
    private int crc;

    ShardOutput(FileChannel channel, boolean direct) {
        this.channel = channel;
        this.direct = direct;
        this.staging = direct ? ByteBuffer.allocateDirect(STAGING + BLOCK).alignedSlice(BLOCK) : null;
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
        if (!direct) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } else if (length >= BLOCK && position % BLOCK == 0 && b.isDirect() && b.alignmentOffset(b.position(), BLOCK) == 0) {
            flushStaging(false); // holds exactly the bytes up to this block boundary
            ByteBuffer whole = b.duplicate().limit(b.position() + (length & -BLOCK));
            writeFully(whole, position);
            stagedAt = position + (length & -BLOCK);
            b.position(b.position() + (length & -BLOCK));
            stage(b);
        } else {
            stage(b);
        }
        crc = Crc32c.combine(crc, crcOfB, length);
        position += length;
    }

    /** Direct IO: copies {@code b} into the staging buffer, writing out its whole blocks whenever it fills up. */
    private void stage(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (!staging.hasRemaining()) flushStaging(false);
            int n = Math.min(b.remaining(), staging.remaining());
            staging.put(staging.position(), b, b.position(), n);
            staging.position(staging.position() + n);
            b.position(b.position() + n);
        }
    }

    /** Writes the staged whole blocks (all of them, the last one zero-padded, when {@code padLast}) and keeps the rest. */
    private void flushStaging(boolean padLast) throws IOException {
        int staged = staging.position();
        int whole = padLast ? (staged + BLOCK - 1) & -BLOCK : staged & -BLOCK;
        if (whole == 0) return;
        for (int i = staged; i < whole; i++) {
            staging.put(i, (byte) 0);
        }
        writeFully(staging.duplicate().position(0).limit(whole), stagedAt);
        stagedAt += whole;
        int rest = Math.max(0, staged - whole);
        staging.put(0, staging, whole, rest);
        staging.position(rest);
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
    }

    void writeIntLittleEndian(int v) throws IOException {
        small.clear();
        small.putInt(0, v).limit(4);
        write(small);
    }

    /** Zero bytes up to the next multiple of {@code alignment} (a power of 2). */
    void alignTo(int alignment) throws IOException {
        padTo((position + alignment - 1) & -(long) alignment);
    }

    /** Zero bytes up to {@code target}. */
    void padTo(long target) throws IOException {
        while (position < target) {
            small.clear();
            small.putLong(0, 0L).limit((int) Math.min(8, target - position));
            write(small);
        }
    }

    /** Direct IO: writes what is staged (the last block zero-padded) and cuts the file to its real length. */
    void close() throws IOException {
        if (!direct) return;
        flushStaging(true);
        channel.truncate(position);
    }

    boolean direct() {
        return direct;
    }

    long position() {
        return position;
    }

    String crcHex() {
        return String.format("%08x", crc);
    }
}
