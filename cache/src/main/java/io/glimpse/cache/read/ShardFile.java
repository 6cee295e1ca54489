package io.glimpse.cache.read;

import com.sun.nio.file.ExtendedOpenOption;
import io.glimpse.cache.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One shard opened read-only for positional reads from many threads at once (pread never moves a shared position).
 * Where the filesystem allows it the file is opened with O_DIRECT: reads go straight from the disk into the caller's
 * buffer, so an epoch over an entry larger than memory neither fills the page cache nor evicts what others use.
 * O_DIRECT needs block-aligned offsets, lengths and buffers; {@link #read} widens each range to whole blocks. Where
 * it is refused (tmpfs, some overlay filesystems) reads are buffered.
 */
public final class ShardFile implements AutoCloseable {
    private static final int MIN_ALIGN = 4096;

    private final String where;
    private final FileChannel channel;
    private final boolean direct;
    private final int align;

    private ShardFile(String where, FileChannel channel, boolean direct, int align) {
        this.where = where;
        this.channel = channel;
        this.direct = direct;
        this.align = align;
    }

    /** Opens {@code file}; {@code where} names it in errors ("cache entry K: shard-00000.arrow"). */
    public static ShardFile open(Path file, String where, boolean tryDirect) {
        try {
            int align = Math.max(MIN_ALIGN, (int) Math.min(1 << 20, Files.getFileStore(file).getBlockSize()));
            if (tryDirect) {
                FileChannel ch = directChannel(file, align);
                if (ch != null) return new ShardFile(where, ch, true, align);
            }
            return new ShardFile(where, FileChannel.open(file, StandardOpenOption.READ), false, align);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": missing");
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot open for reading (" + e.getMessage() + ")", e);
        }
    }

    /** An O_DIRECT channel that has served one aligned read, or null where the filesystem refuses. */
    private static FileChannel directChannel(Path file, int align) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
            ch.read(ByteBuffer.allocateDirect(2 * align).alignedSlice(align).limit(align), 0);
            return ch;
        } catch (IOException | UnsupportedOperationException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the probe failed already; buffered reads follow
                }
            }
            return null;
        }
    }

    public boolean direct() {
        return direct;
    }

    /** Scratch bytes a reader needs to read ranges of up to {@code maxLength} bytes (aligned, with block slack). */
    public static int scratchBytes(int maxLength, int align) {
        return maxLength + 3 * align;
    }

    public int align() {
        return align;
    }

    /** A direct buffer for {@link #read} of ranges of up to {@code maxLength} bytes, aligned for O_DIRECT. */
    public static ByteBuffer scratch(int maxLength, int align) {
        return ByteBuffer.allocateDirect(scratchBytes(maxLength, align)).alignedSlice(align);
    }

    /**
     * Reads bytes [offset, offset + length) into {@code scratch} (from {@link #scratch}); returns a little-endian view
     * holding exactly them. A file that ends before them (truncated since it was opened) is one line naming the file.
     */
    public ByteBuffer read(long offset, int length, ByteBuffer scratch) {
        long from = direct ? offset & -align : offset;
        long to = direct ? (offset + length + align - 1) & -align : offset + length;
        int span = (int) (to - from);
        if (span > scratch.capacity()) throw new IllegalArgumentException("scratch holds " + scratch.capacity() + " bytes, the read needs " + span);
        ByteBuffer buf = scratch.duplicate().clear().limit(span);
        long need = offset + length - from;
        try {
            while (buf.position() < need) {
                int n = channel.read(buf, from + buf.position());
                // an O_DIRECT read stops short only at the end of the file, where the next one could not be aligned
                if (n <= 0 || (direct && buf.position() < need && buf.hasRemaining())) {
                    long size = channel.size();
                    if (size >= offset + length) throw new IOException("short read at byte " + (from + buf.position()) + " of " + size);
                    throw new BadInputException(where + ": truncated (the file ends at byte " + size
                            + ", a row needs bytes up to " + (offset + length) + "); run glimpse cache verify");
                }
            }
        } catch (IOException e) {
            throw new BadInputException(where + ": read failed at byte " + offset + " (" + e.getMessage() + ")", e);
        }
        return buf.flip().position((int) (offset - from)).limit((int) need).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
    }
}
