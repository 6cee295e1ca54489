package io.glimpse.cache.shard;

import com.sun.nio.file.ExtendedOpenOption;
import io.glimpse.cache.WriterOptions;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes one shard file (Arrow IPC file format, uncompressed) in record batches of at most the pipeline's batch
 * rows, through a {@link WritePipeline}: {@link #append} narrows the caller's float32 tokens into a slot (with the
 * pipeline's worker threads) and returns once they are copied; full slots are written and checksummed in file
 * order on the IO thread while the next fills. Where the file system takes it the file is written with direct IO
 * (O_DIRECT: no page-cache copy, nothing left to write back at the fsync); otherwise through the page cache, with
 * the file fdatasynced in the background as it grows. {@link #finish()} writes the footer, fsyncs and returns size
 * and CRC-32C; renaming and recording the shard is the caller's job. An IO error on a background thread is
 * reported by the next append or by finish.
 */
public final class ShardFileWriter {
    /**
     * Through the page cache: unsynced bytes after which the sync thread fdatasyncs, so the disk starts on a shard
     * long before its fsync.
     */
    private static final long SYNC_EVERY_BYTES = 32L << 20;

    private final Path file;
    private final WritePipeline pipeline;
    private final boolean ownsPipeline;
    private final FileChannel channel;
    private final ShardOutput out;
    private final ArrowIpcFileWriter ipc;
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final AtomicBoolean syncIdle = new AtomicBoolean(true);
    private volatile boolean aborted;
    private BatchSlot slot;
    private int rows;
    private long unsynced; // IO thread only
    private boolean done;

    /** Creates (or truncates) {@code file} at once, written through the entry's shared {@code pipeline}. */
    public ShardFileWriter(Path file, Map<String, String> schemaMetadata, WritePipeline pipeline) throws IOException {
        this(file, schemaMetadata, pipeline, false);
    }

    /**
     * A lone shard with a pipeline of its own ({@link WriterOptions#defaultThreads()} threads, direct IO where
     * possible), closed with the shard: for a process that writes one shard of an entry it does not hold; the bytes
     * equal the entry writer's for the same schema, batch rows and metadata.
     */
    public ShardFileWriter(Path file, ShardSchema schema, int batchRows, Map<String, String> schemaMetadata, BufferAllocator allocator) throws IOException {
        this(file, schemaMetadata, new WritePipeline(schema, batchRows, WriterOptions.defaultThreads(), true, allocator), true);
    }

    private ShardFileWriter(Path file, Map<String, String> schemaMetadata, WritePipeline pipeline, boolean ownsPipeline) throws IOException {
        this.file = file;
        this.pipeline = pipeline;
        this.ownsPipeline = ownsPipeline;
        FileChannel opened = null;
        try {
            if (pipeline.directIo()) opened = openDirect(file);
            boolean direct = opened != null;
            if (!direct) opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            this.channel = opened;
            this.out = new ShardOutput(channel, direct);
        } catch (IOException | RuntimeException e) {
            if (ownsPipeline) pipeline.close();
            throw e;
        }
        this.ipc = new ArrowIpcFileWriter(out, pipeline.schema().toArrow(schemaMetadata));
        onIoThread(ipc::start);
    }

    /**
     * The file opened for direct IO (O_DIRECT), or null where the file system does not take it (tmpfs, some network
     * file systems), has blocks that do not divide {@link ShardOutput#BLOCK}, or accepts O_DIRECT at open but refuses
     * the writes (as some FUSE and NFS mounts do): such files are written through the page cache, with the same bytes.
     */
    private static FileChannel openDirect(Path file) {
        try {
            long block = Files.getFileStore(file.toAbsolutePath().getParent()).getBlockSize();
            if (block <= 0 || block > ShardOutput.BLOCK || ShardOutput.BLOCK % block != 0) return null;
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
            if (takesDirectWrites(ch)) return ch;
            ch.close();
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Whether one aligned block written at offset 0 of the (empty) file goes through. The file is cut back to empty
     * either way (best effort on failure: the buffered reopen truncates it too). Any write error means "no": a
     * disk that is really full or failing then fails the shard through the page cache, with its own message.
     */
    static boolean takesDirectWrites(FileChannel ch) {
        ByteBuffer block = ByteBuffer.allocateDirect(2 * ShardOutput.BLOCK).alignedSlice(ShardOutput.BLOCK).limit(ShardOutput.BLOCK);
        boolean ok = true;
        try {
            while (ok && block.hasRemaining()) {
                ok = ch.write(block, block.position()) > 0; // a file system that takes nothing would loop forever
            }
        } catch (IOException e) {
            ok = false; // EINVAL from the file system: write through the page cache instead
        }
        try {
            ch.truncate(0);
        } catch (IOException e) {
            return false;
        }
        return ok;
    }

    /** Whether this shard is written with direct IO. */
    public boolean directIo() {
        return out.direct();
    }

    /**
     * Appends rows {@code from .. from+n-1} of the caller's arrays; {@code layerTokens.get(l)} holds [rows, T, D]
     * float32 from its position, in the schema's layer order. The caller may reuse its buffers when this returns.
     */
    public void append(String[] rowIds, int[] rowLabels, List<FloatBuffer> layerTokens, int from, int n) throws IOException {
        if (done) throw new IllegalStateException(file + ": shard already finished or aborted");
        int added = 0;
        while (added < n) {
            throwIfFailed();
            if (slot == null) slot = pipeline.takeSlot();
            int take = Math.min(slot.free(), n - added);
            slot.putIdsAndLabels(rowIds, rowLabels, from + added, take);
            pipeline.fillTokens(slot, rowIds, layerTokens, from + added, take);
            slot.advance(take);
            rows += take;
            added += take;
            if (slot.free() == 0) submitSlot();
        }
    }

    /** Rows appended so far, written or not. */
    public int rows() {
        return rows;
    }

    private void submitSlot() {
        BatchSlot full = slot;
        slot = null;
        try {
            pipeline.onIoThread(() -> {
                try {
                    if (failure.get() == null && !aborted) {
                        long before = out.position();
                        full.writeTo(ipc);
                        unsynced += out.position() - before;
                        if (unsynced >= SYNC_EVERY_BYTES && !out.direct()) syncInBackground();
                    }
                } catch (IOException | RuntimeException | Error e) {
                    fail(e);
                } finally {
                    pipeline.returnSlot(full);
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            pipeline.returnSlot(full);
            throw e;
        }
    }

    /** On the IO thread: starts an fdatasync unless one is running (the next batch will ask again). */
    private void syncInBackground() {
        if (!syncIdle.compareAndSet(true, false)) return;
        unsynced = 0;
        pipeline.onSyncThread(() -> {
            try {
                if (!aborted) channel.force(false);
            } catch (IOException e) {
                // Linux reports a writeback error to one fsync only: keep it, or the final fsync may never see it
                if (!aborted) failure.compareAndSet(null, e);
            } finally {
                syncIdle.set(true);
            }
            return null;
        });
    }

    private Future<Object> onIoThread(IoStep step) {
        return pipeline.onIoThread(() -> {
            try {
                if (failure.get() == null && !aborted) step.run();
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
            }
            return null;
        });
    }

    /**
     * Keeps the first failure of a background step, whatever its type: nobody reads those futures, so an unchecked
     * exception left in one would let finish() commit a shard that lacks a batch or its header.
     */
    private void fail(Throwable e) {
        failure.compareAndSet(null, e instanceof IOException io ? io : new IOException(file + ": background write failed: " + e, e));
    }

    private void throwIfFailed() throws IOException {
        IOException e = failure.get();
        if (e != null) throw new IOException(e.getMessage(), e);
    }

    /**
     * Writes the last batch and the footer, waits for the background writes and syncs, fsyncs, and closes the file.
     * Returns the file's size and CRC-32C.
     */
    public Written finish() throws IOException {
        if (done) throw new IllegalStateException(file + ": shard already finished or aborted");
        if (slot != null && slot.rows() > 0) submitSlot();
        if (slot != null) {
            pipeline.returnSlot(slot);
            slot = null;
        }
        WritePipeline.await(onIoThread(() -> {
            ipc.end();
            out.close();
        }));
        // after every write; the sync thread runs in order, so also after any background fdatasync of this file
        WritePipeline.await(pipeline.onSyncThread(() -> {
            if (failure.get() == null) channel.force(true);
            return null;
        }));
        throwIfFailed();
        done = true;
        Written w = new Written(file, rows, out.position(), out.crcHex());
        channel.close();
        if (ownsPipeline) pipeline.close();
        return w;
    }

    /**
     * Without finishing: waits for this file's background work to stop, closes it and deletes it, so a failed or
     * abandoned shard leaves nothing behind.
     */
    public void abort() {
        if (done) return;
        done = true;
        aborted = true;
        if (slot != null) {
            pipeline.returnSlot(slot);
            slot = null;
        }
        try {
            WritePipeline.await(pipeline.onIoThread(() -> null));
            WritePipeline.await(pipeline.onSyncThread(() -> null));
        } catch (IOException | RuntimeException ignored) {
            // nothing of this file is kept anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to flush
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is removed by the next writer of this entry
        }
        if (ownsPipeline) pipeline.close();
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /** A finished shard file. */
    public record Written(Path file, int rows, long bytes, String crc32c) {
    }
}
