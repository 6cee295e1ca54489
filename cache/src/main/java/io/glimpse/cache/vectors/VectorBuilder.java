package io.glimpse.cache.vectors;

import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.read.Gatherer;
import io.glimpse.cache.store.AtomicFiles;
import io.glimpse.cache.store.EntryVerifier;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import io.glimpse.cache.shard.FixedShapeTensorVector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes an entry's vector sidecar in one sequential pass over its mapped shards: worker threads gather chunks of
 * consecutive rows (float16 widened to float32 exactly, as every reader sees them) and reduce each row to its token 0
 * and its patch mean (summed in double, rounded once to float32); this thread writes the chunks in row order into
 * a temp file, fsyncs it, checksums it, renames it to {@code vectors.arrow}, then writes {@code vectors.json} the
 * same atomic way. The temp names are unique, so two processes building at once each end with a whole file; the
 * content depends only on the entry, so either one is right.
 */
public final class VectorBuilder {
    /** About this many bytes of float32 tokens per chunk a worker gathers. */
    private static final long CHUNK_BYTES = 16L << 20;
    /** Rows per record batch at most, and at most ~256 MiB of vectors, so each batch maps on its own. */
    private static final int MAX_BATCH_ROWS = 65536;
    private static final long MAX_BATCH_BYTES = 256L << 20;

    private final int threads;
    private final int chunkRowsOverride;
    private final int batchRowsOverride;

    public VectorBuilder(int threads) {
        this(threads, 0, 0);
    }

    /** With chunk and record-batch row counts forced (0 = sized from the row size), so tests cross their boundaries. */
    VectorBuilder(int threads, int chunkRows, int batchRows) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.chunkRowsOverride = chunkRows;
        this.batchRowsOverride = batchRows;
    }

    private record Chunk(int from, int[] labels, float[][] vectors) {
    }

    /** Builds the sidecar of {@code cache} and returns its record. */
    public VectorRecord build(TokenCache cache, VectorBuildProgress progress) {
        Path dir = cache.directory();
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path tmp = dir.resolve(VectorRecord.DATA_FILE + "." + unique + ".tmp");
        Path recordTmp = dir.resolve(VectorRecord.FILE + "." + unique + ".tmp");
        TokenLayout layout = cache.layout();
        VectorSchema schema = new VectorSchema(layout, cache.layers());
        int rows = cache.rows();
        int dim = layout.dim();
        int chunkRows = chunkRowsOverride > 0 ? chunkRowsOverride
                : (int) Math.max(1, Math.min(MAX_BATCH_ROWS, CHUNK_BYTES / ((long) layout.rowValues() * Float.BYTES)));
        int batchRows = (int) Math.max(chunkRows, (batchRowsOverride > 0 ? batchRowsOverride
                : Math.min(MAX_BATCH_ROWS, MAX_BATCH_BYTES / ((long) schema.columns() * dim * Float.BYTES))) / chunkRows * chunkRows);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "glimpse-vectors");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<Gatherer> gatherers = ThreadLocal.withInitial(cache::newGatherer);
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[chunkRows * layout.rowValues()]);
        Map<String, String> meta = Map.of("glimpse.key", cache.manifest().key(), "glimpse.layers", String.join(",", cache.layers()),
                "glimpse.layout", "{\"tokens\":" + layout.tokens() + ",\"dim\":" + dim + ",\"prefix_tokens\":" + layout.prefixTokens()
                        + ",\"grid_h\":" + layout.gridH() + ",\"grid_w\":" + layout.gridW() + "}");
        try (BufferAllocator alloc = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(meta), alloc)) {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
                IntVector labels = (IntVector) root.getVector(0);
                FloatBuffer[] columns = allocate(root, schema.columns(), batchRows, dim, labels);
                writer.start();
                Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
                int next = 0;
                int fill = 0;
                while (next < rows || !inFlight.isEmpty()) {
                    while (next < rows && inFlight.size() < 2 * threads) {
                        int from = next;
                        int n = Math.min(chunkRows, rows - from);
                        inFlight.add(pool.submit(() -> reduce(cache, from, n, gatherers.get(), scratch.get())));
                        next += n;
                    }
                    Chunk c = inFlight.poll().get();
                    int n = c.labels().length;
                    for (int i = 0; i < n; i++) labels.set(fill + i, c.labels()[i]);
                    for (int col = 0; col < columns.length; col++) columns[col].put(fill * dim, c.vectors()[col], 0, n * dim);
                    fill += n;
                    if (fill + chunkRows > batchRows || (next >= rows && inFlight.isEmpty())) {
                        flush(root, fill, dim);
                        writer.writeBatch();
                        fill = 0;
                    }
                    progress.rowsDone(c.from() + n);
                }
                writer.end();
                ch.force(true);
            }
            long bytes = Files.size(tmp);
            String crc = EntryVerifier.crc32c(tmp, null);
            VectorRecord rec = new VectorRecord(VectorRecord.FORMAT, cache.manifest().key(), rows, dim, layout.prefixTokens(),
                    cache.layers(), VectorRecord.DATA_FILE, bytes, crc, Instant.now().toString());
            AtomicFiles.rename(tmp, dir.resolve(VectorRecord.DATA_FILE));
            writeDurably(recordTmp, rec.toJson());
            AtomicFiles.rename(recordTmp, dir.resolve(VectorRecord.FILE));
            return rec;
        } catch (IOException e) {
            throw new UncheckedIOException(cache.directory().getFileName() + ": cannot write " + VectorRecord.DATA_FILE + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + VectorRecord.DATA_FILE, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            deleteQuietly(tmp);
            deleteQuietly(recordTmp);
        }
    }

    /** Token 0 and the patch mean of rows [from, from+n) of every layer. */
    private static Chunk reduce(TokenCache cache, int from, int n, Gatherer gatherer, float[] scratch) {
        TokenLayout layout = cache.layout();
        int dim = layout.dim();
        int tokens = layout.tokens();
        int prefix = layout.prefixTokens();
        int layers = cache.layers().size();
        int[] rows = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = from + i;
            labels[i] = cache.label(from + i);
        }
        float[][] out = new float[2 * layers][n * dim];
        FloatBuffer buf = FloatBuffer.wrap(scratch);
        double[] sum = new double[dim];
        for (int l = 0; l < layers; l++) {
            gatherer.gather(rows, n, l, buf);
            float[] cls = out[VectorSchema.column(l, VectorKind.CLS)];
            float[] mean = out[VectorSchema.column(l, VectorKind.PATCH_MEAN)];
            for (int i = 0; i < n; i++) {
                int base = i * tokens * dim;
                System.arraycopy(scratch, base, cls, i * dim, dim);
                java.util.Arrays.fill(sum, 0);
                for (int t = prefix; t < tokens; t++) {
                    int at = base + t * dim;
                    for (int d = 0; d < dim; d++) sum[d] += scratch[at + d];
                }
                int patches = tokens - prefix;
                for (int d = 0; d < dim; d++) mean[i * dim + d] = (float) (sum[d] / patches);
            }
        }
        return new Chunk(from, labels, out);
    }

    private static FloatBuffer[] allocate(VectorSchemaRoot root, int columns, int batchRows, int dim, IntVector labels) {
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(batchRows);
            v.allocateNew();
        }
        while (labels.getValueCapacity() < batchRows) labels.reAlloc();
        FloatBuffer[] out = new FloatBuffer[columns];
        long valueBytes = (long) batchRows * dim * Float.BYTES;
        for (int c = 0; c < columns; c++) {
            FixedSizeListVector list = ((FixedShapeTensorVector) root.getVector(1 + c)).getUnderlyingVector();
            while (list.getValueCapacity() < batchRows || list.getDataVector().getDataBuffer().capacity() < valueBytes) list.reAlloc();
            out[c] = list.getDataVector().getDataBuffer().nioBuffer(0, (int) valueBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        return out;
    }

    private static void flush(VectorSchemaRoot root, int fill, int dim) {
        IntVector labels = (IntVector) root.getVector(0);
        markValid(labels.getValidityBuffer(), fill);
        for (int c = 1; c < root.getFieldVectors().size(); c++) {
            FixedSizeListVector list = ((FixedShapeTensorVector) root.getVector(c)).getUnderlyingVector();
            markValid(list.getValidityBuffer(), fill);
            markValid(list.getDataVector().getValidityBuffer(), fill * dim);
        }
        root.setRowCount(fill);
    }

    private static void markValid(ArrowBuf validity, int count) {
        long fullBytes = count / 8;
        if (fullBytes > 0) validity.setOne(0L, fullBytes);
        for (int i = (int) (fullBytes * 8); i < count; i++) BitVectorHelper.setBit(validity, i);
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file only costs space; the next build writes its own
        }
    }
}
