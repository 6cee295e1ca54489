package io.glimpse.cache.index;

import io.glimpse.cache.BackgroundPriority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Puts a writer's appended ids into its index on a daemon thread, as they are appended, so that a shard's commit
 * finds them there instead of putting thousands at once (the first puts into a new Chronicle Map file cost tens of
 * microseconds each); a new entry's index file is created on the same thread when the first ids arrive, since
 * creating a Chronicle Map takes a while too (seconds on a JVM's first use, which generates and compiles code).
 *
 * <p>Ids may so reach the file before their shard is committed. That is harmless: a writer that resumes rebuilds an
 * index whose size differs from the manifest's rows, a new entry's index is deleted until a shard is committed, and
 * readers open complete entries only. The writer's thread takes the index back with {@link #await} before it
 * touches it itself (commit, rebuild).
 */
public final class BackgroundIndexer implements AutoCloseable {
    private final Path file;
    private final long capacityIfCreated;
    private final ExecutorService thread;
    private Future<?> last;
    // The fields below belong to the indexing thread between add() and await(); to the writer's thread after.
    private volatile RowIndex index;
    private long capacity;
    private int shard = -1;
    private int rowsPut;
    private IOException failure;

    /**
     * {@code index} with room for {@code capacity} ids, or null for a new entry, whose index is created at
     * {@code file} with room for {@code capacityIfCreated} ids when the first ids arrive.
     */
    public BackgroundIndexer(Path file, RowIndex index, long capacity, long capacityIfCreated) {
        this.file = file;
        this.index = index;
        this.capacity = capacity;
        this.capacityIfCreated = capacityIfCreated;
        this.thread = Executors.newSingleThreadExecutor(BackgroundPriority.daemonThreads("glimpse-index"));
    }

    /** Whether a committed (or already indexed) row has this id; safe while puts run. */
    public boolean contains(String id) {
        RowIndex i = index;
        return i != null && i.contains(id);
    }

    /** Queues {@code ids[from .. from+n-1]}, rows {@code firstRow ..} of shard {@code shard}, for indexing. */
    public void add(String[] ids, int from, int n, int shard, int firstRow) {
        String[] copy = Arrays.copyOfRange(ids, from, from + n);
        last = thread.submit(() -> put(copy, shard, firstRow));
    }

    private void put(String[] ids, int toShard, int firstRow) {
        if (failure != null) return;
        try {
            if (index == null) {
                double avg = 0;
                for (String id : ids) {
                    avg += id.getBytes(StandardCharsets.UTF_8).length / (double) ids.length;
                }
                Files.deleteIfExists(file);
                capacity = capacityIfCreated;
                index = RowIndex.create(file, capacity, avg);
            }
        } catch (IOException e) {
            failure = e;
            return;
        }
        if (toShard != shard) {
            shard = toShard;
            rowsPut = 0;
        }
        // in order, and only while there is room: otherwise the commit rebuilds the index and puts the rest
        if (firstRow != rowsPut || index.size() + ids.length > capacity) return;
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], toShard, firstRow + i);
        }
        rowsPut += ids.length;
    }

    /** Waits for the queued work; reports a failure to create the index. */
    public void await() throws IOException {
        Future<?> f = last;
        if (f == null) return;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the thread writes the index file: wait for it rather than leave it half done
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        last = null;
        if (failure != null) throw failure;
    }

    /** After {@link #await}: the index (null before any id was added to a new entry). */
    public RowIndex index() {
        return index;
    }

    /** After {@link #await}: the ids the index was made for. */
    public long capacity() {
        return capacity;
    }

    /** After {@link #await}: rows {@code 0 ..} of {@code shard} that are in the index. */
    public int rowsPut(int shard) {
        return shard == this.shard ? rowsPut : 0;
    }

    /** After {@link #await}: the writer replaced the index (created or rebuilt it); it holds no row of a new shard yet. */
    public void replace(RowIndex rebuilt, long newCapacity) {
        index = rebuilt;
        capacity = newCapacity;
        shard = -1;
        rowsPut = 0;
    }

    /** Stops the thread; the index stays open (the writer closes it). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
