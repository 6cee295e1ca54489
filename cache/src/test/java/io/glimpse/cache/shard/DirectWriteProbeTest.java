package io.glimpse.cache.shard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file system may accept O_DIRECT when the file is opened and refuse the writes with EINVAL (some FUSE and NFS
 * mounts): the writer probes one block first and falls back to the page cache instead of failing the shard.
 */
class DirectWriteProbeTest {
    @TempDir
    Path dir;

    @Test
    void aChannelThatRefusesWritesIsNotUsedForDirectIo() throws IOException {
        Path file = dir.resolve("refused");
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
             FileChannel refusing = new RefusingWrites(real)) {
            assertFalse(ShardFileWriter.takesDirectWrites(refusing));
        }
        assertEquals(0, Files.size(file));
    }

    @Test
    void aChannelThatTakesTheProbeIsLeftEmpty() throws IOException {
        Path file = dir.resolve("taken");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertTrue(ShardFileWriter.takesDirectWrites(ch));
        }
        assertEquals(0, Files.size(file), "the probe block is cut off again");
    }

    /** Delegates to a real channel but fails every write, as a mount refusing O_DIRECT writes does. */
    private static final class RefusingWrites extends FileChannel {
        private final FileChannel real;

        RefusingWrites(FileChannel real) {
            this.real = real;
        }

        private static IOException einval() {
            return new IOException("Invalid argument");
        }

        @Override public int write(ByteBuffer src, long position) throws IOException { throw einval(); }
        @Override public int write(ByteBuffer src) throws IOException { throw einval(); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { throw einval(); }
        @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return real.read(dsts, offset, length); }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return real.read(dst, position); }
        @Override public long position() throws IOException { return real.position(); }
        @Override public FileChannel position(long newPosition) throws IOException { real.position(newPosition); return this; }
        @Override public long size() throws IOException { return real.size(); }
        @Override public FileChannel truncate(long size) throws IOException { real.truncate(size); return this; }
        @Override public void force(boolean metaData) throws IOException { real.force(metaData); }
        @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException { throw einval(); }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException { throw einval(); }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { throw einval(); }
        @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return real.lock(position, size, shared); }
        @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return real.tryLock(position, size, shared); }
        @Override protected void implCloseChannel() throws IOException { real.close(); }
    }
}
