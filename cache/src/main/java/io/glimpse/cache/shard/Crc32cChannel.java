package io.glimpse.cache.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Counts and checksums (CRC-32C, hardware-accelerated in the JDK) the bytes as they go to the file, so a shard's
 * checksum costs no second read. CRC-32C catches torn writes and flipped bytes; Glimpse needs no cryptographic hash.
 */
final class Crc32cChannel implements WritableByteChannel {
    private final FileChannel file;
    private final CRC32C crc = new CRC32C();
    private long bytes;

    Crc32cChannel(FileChannel file) {
        this.file = file;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ByteBuffer view = src.duplicate();
        int n = file.write(src);
        view.limit(view.position() + n);
        crc.update(view);
        bytes += n;
        return n;
    }

    long bytes() {
        return bytes;
    }

    String crcHex() {
        return String.format("%08x", crc.getValue());
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
