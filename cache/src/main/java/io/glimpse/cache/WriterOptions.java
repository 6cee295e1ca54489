package io.glimpse.cache;

/**
 * Tuning for an {@link EntryWriter}. {@code rowsPerShard} 0 = as many as fit in {@code maxShardBytes} (1 GiB by
 * default; explicit values are capped the same way); {@code batchRows} 0 = a few thousand rows, at most ~32 MiB of
 * tokens per record batch; {@code expectedRows} (0 = unknown) sizes the id index up front so it need not be rebuilt;
 * {@code threads} (0 = {@link #defaultThreads()}) narrow tokens to the storage dtype, the appending thread included;
 * {@code directIo} writes shards with O_DIRECT where the file system takes it (the same bytes either way).
 * A resumed entry keeps the rows-per-shard it was started with, so its shards match an uninterrupted run.
 */
public record WriterOptions(int rowsPerShard, long maxShardBytes, int batchRows, long expectedRows, int threads, boolean directIo) {
    public static final long ONE_GIB = 1L << 30;

    public WriterOptions {
        if (rowsPerShard < 0 || batchRows < 0 || expectedRows < 0 || threads < 0) throw new IllegalArgumentException("writer options must not be negative");
        if (maxShardBytes < (1 << 20) || maxShardBytes > ONE_GIB) throw new IllegalArgumentException("max shard bytes must be in [1 MiB, 1 GiB], got " + maxShardBytes);
    }

    public WriterOptions(int rowsPerShard, long maxShardBytes, int batchRows, long expectedRows) {
        this(rowsPerShard, maxShardBytes, batchRows, expectedRows, 0, true);
    }

    public static WriterOptions defaults() {
        return new WriterOptions(0, ONE_GIB, 0, 0);
    }

    public static WriterOptions rowsPerShard(int rows) {
        return new WriterOptions(rows, ONE_GIB, 0, 0);
    }

    /** One narrowing thread per CPU, at most 8: narrowing runs at several GB/s per thread, faster than most disks. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    public WriterOptions withExpectedRows(long rows) {
        return new WriterOptions(rowsPerShard, maxShardBytes, batchRows, rows, threads, directIo);
    }

    public WriterOptions withBatchRows(int rows) {
        return new WriterOptions(rowsPerShard, maxShardBytes, rows, expectedRows, threads, directIo);
    }

    public WriterOptions withThreads(int n) {
        return new WriterOptions(rowsPerShard, maxShardBytes, batchRows, expectedRows, n, directIo);
    }

    /** {@code false}: always through the page cache. */
    public WriterOptions withDirectIo(boolean direct) {
        return new WriterOptions(rowsPerShard, maxShardBytes, batchRows, expectedRows, threads, direct);
    }
}
