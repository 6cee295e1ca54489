package io.glimpse.cache.store;

import io.glimpse.cache.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one-writer-per-entry lock: an OS file lock on the entry's {@code lock} file, holding the writer's pid as text.
 * The kernel drops the lock when its process dies, so a lock left by a killed writer is simply free again; the pid
 * still in the file tells us that it was recovered. A second writer fails at once with a message naming the holder.
 */
public final class EntryLock implements AutoCloseable {
    public static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final OptionalLong recoveredFromPid;

    private EntryLock(FileChannel channel, FileLock lock, OptionalLong recoveredFromPid) {
        this.channel = channel;
        this.lock = lock;
        this.recoveredFromPid = recoveredFromPid;
    }

    public static EntryLock acquire(Path entryDir, String entryName) {
        Path file = entryDir.resolve(FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // The JVM tracks its own locks: a second writer inside this process lands here, not in tryLock's null.
                ch.close();
                throw new BadInputException("cache entry " + entryName + " is already being written by this process (" + file + ")");
            }
            if (lock == null) {
                String holder = holderPid(ch).map(p -> "pid " + p).orElse("another process");
                ch.close();
                throw new BadInputException("cache entry " + entryName + " is being written by " + holder + " (lock " + file + "); wait for it or stop it");
            }
            OptionalLong previous = holderPid(ch).map(OptionalLong::of).orElse(OptionalLong.empty());
            byte[] me = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(false);
            return new EntryLock(ch, lock, previous);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new BadInputException("cache entry " + entryName + ": cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Long> holderPid(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        if (n <= 0) return Optional.empty();
        String text = new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid a previous, dead writer left in the lock file, if this lock was recovered from one. */
    public OptionalLong recoveredFromPid() {
        return recoveredFromPid;
    }

    /** The pid recorded in an entry's lock file if that process is alive (the lock file is only read). */
    public static OptionalLong liveHolder(Path entryDir) {
        Path file = entryDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return OptionalLong.empty();
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.isEmpty()) return OptionalLong.empty();
            long pid = Long.parseLong(text);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        try {
            // Clear our pid first so a later writer does not report a recovery from a clean exit.
            channel.truncate(0);
            lock.release();
        } catch (IOException ignored) {
            // the kernel releases the lock with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
