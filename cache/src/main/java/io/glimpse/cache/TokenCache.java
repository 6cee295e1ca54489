package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.index.RowIndex;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.manifest.ShardRecord;
import io.glimpse.cache.read.AvailableMemory;
import io.glimpse.cache.read.BufferPool;
import io.glimpse.cache.read.Gatherer;
import io.glimpse.cache.read.ReadMode;
import io.glimpse.cache.read.ShardFile;
import io.glimpse.cache.read.StreamReader;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.cache.shard.MappedShard;
import io.glimpse.cache.shard.ShardSchema;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.cache.vectors.VectorReadable;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a complete cache entry: every shard memory-mapped read-only, rows addressed by a global row number
 * (shards in order), ids resolved through the Chronicle Map index. As a {@link TokenSource} it serves images: with
 * K augmented views per image, image i's view k is row i*K+k and each epoch draws one view per image from
 * (seed, epoch, image). Subset views ({@link #firstN}, {@link #subset}, {@link #heldOut}) share this reader's
 * mappings. Any number of readers, in any processes, may read one entry; a reader never writes.
 * <p>
 * Token batches are gathered from the mappings ({@link ReadMode#MAPPED}) or, for an entry larger than memory, read
 * with parallel positional reads and prefetched ({@link ReadMode#STREAM}); the mode is chosen when the entry is
 * opened. Labels and ids are read through the mappings in both modes (a few bytes a row).
 */
public final class TokenCache implements SelectableSource, VectorReadable {
    /** Threads reading in parallel in stream mode: the queue depth the disk sees (-Dglimpse.read.threads=N). */
    private static final int STREAM_THREADS = Integer.getInteger("glimpse.read.threads", 16);

    private final Path dir;
    private final String name;
    private final Manifest manifest;
    private final MappedShard[] shards;
    private final int[] shardStart;
    private final int rows;
    private final int views;
    private final int[] imageLabels;
    private final int numClasses;
    private final CacheView all;
    private final BufferPool bufferPool = new BufferPool();
    private final ReadMode readMode;
    private final long shardBytes;
    private final long availableBytes;
    private StreamReader streamReader;
    private RowIndex index;
    private MappedVectors vectors;

    private TokenCache(Path dir, String name, Manifest manifest, MappedShard[] shards, int[] shardStart, ReadMode mode) {
        this.dir = dir;
        this.name = name;
        this.manifest = manifest;
        this.shards = shards;
        this.shardStart = shardStart;
        this.rows = shardStart[shards.length];
        this.views = manifest.description().views();
        if (rows % views != 0) throw new BadInputException("cache entry " + name + ": " + rows + " rows is not a multiple of its " + views + " views");
        int images = rows / views;
        this.imageLabels = new int[images];
        int max = -1;
        for (int i = 0; i < images; i++) {
            imageLabels[i] = label(i * views);
            max = Math.max(max, imageLabels[i]);
        }
        this.numClasses = max + 1;
        this.all = new CacheView(this, null, false);
        this.shardBytes = manifest.shards().stream().mapToLong(ShardRecord::bytes).sum();
        this.availableBytes = mode == ReadMode.AUTO ? AvailableMemory.bytes() : -1;
        this.readMode = mode.resolve(shardBytes, availableBytes);
    }

    /** Opens a COMPLETE entry, choosing its read mode from its size and the memory available ({@link ReadMode#AUTO}). */
    public static TokenCache open(Path entryDir) {
        return open(entryDir, ReadMode.AUTO);
    }

    /** Opens a COMPLETE entry; shards are checked for presence, size, structure and row counts (not checksums). */
    public static TokenCache open(Path entryDir, ReadMode mode) {
        String name = entryDir.getFileName().toString();
        name = CacheKey.isKey(name) ? name.substring(0, CacheKey.SHORT_LENGTH) : name;
        Manifest m = new ManifestFiles().read(entryDir, name);
        if (m.status() != EntryStatus.COMPLETE) {
            throw new BadInputException("cache entry " + name + " is " + m.status().label() + " (" + m.rows() + " rows committed); run the extraction again to finish it");
        }
        ShardSchema schema = new ShardSchema(m.layout(), m.description().dtype(), m.description().layers());
        List<ShardRecord> recs = m.shards();
        MappedShard[] shards = new MappedShard[recs.size()];
        int[] start = new int[recs.size() + 1];
        for (int s = 0; s < recs.size(); s++) {
            ShardRecord rec = recs.get(s);
            shards[s] = MappedShard.open(entryDir.resolve(rec.file()), schema, rec.bytes(), rec.rows(), "cache entry " + name + ": " + rec.file());
            start[s + 1] = Math.addExact(start[s], shards[s].rows());
        }
        return new TokenCache(entryDir, name, m, shards, start, mode);
    }

    public Manifest manifest() {
        return manifest;
    }

    public CacheKey key() {
        return new CacheKey(manifest.key());
    }

    public Path directory() {
        return dir;
    }

    /** MAPPED or STREAM: how this reader's token batches are read. */
    public ReadMode readMode() {
        return readMode;
    }

    /** One line saying how tokens are read and, when chosen automatically, why. */
    public String readModeReason() {
        String size = String.format(java.util.Locale.ROOT, "%.1f GB", shardBytes / 1e9);
        if (availableBytes < 0) return "cache entry " + name + " (" + size + "): " + readMode.label() + " reads";
        return String.format(java.util.Locale.ROOT, "cache entry %s (%s, %.1f GB of memory available): %s reads", name, size,
                availableBytes / 1e9, readMode.label());
    }

    /**
     * Most bytes a stream-mode epoch at {@code batchSize} reading {@code layers} layers holds beyond the JVM's own:
     * its batch buffers plus the read threads' buffers. Independent of the entry's size.
     */
    public long streamMemoryBound(int batchSize, int layers) {
        return layers * StreamBatches.bufferBytesPerLayer(batchSize, layout().rowValues(), STREAM_THREADS)
                + StreamReader.scratchBytes(layout().rowValues(), dtype(), STREAM_THREADS);
    }

    /** Threads reading in parallel in stream mode. */
    public int streamThreads() {
        return STREAM_THREADS;
    }

    /** Bytes of the entry's shards. */
    public long shardBytes() {
        return shardBytes;
    }

    public TokenDtype dtype() {
        return manifest.description().dtype();
    }

    /** Rows stored (images × views). */
    public int rows() {
        return rows;
    }

    /** Augmented views per image (1 for a plain entry). */
    public int views() {
        return views;
    }

    @Override
    public TokenLayout layout() {
        return manifest.layout();
    }

    @Override
    public List<String> layers() {
        return manifest.description().layers();
    }

    /** Number of images, not counting augmented views. */
    @Override
    public int size() {
        return imageLabels.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        return all.batches(plan);
    }

    /** Index of a layer name; the error lists the layers this entry has. */
    public int layerIndex(String layer) {
        int i = layers().indexOf(layer);
        if (i < 0) throw new BadInputException("layer '" + layer + "' is not in cache entry " + name + " (it has " + String.join(", ", layers()) + ")");
        return i;
    }

    int imageLabel(int image) {
        return imageLabels[image];
    }

    public int label(int row) {
        int s = locate(row);
        return shards[s].label(row - shardStart[s]);
    }

    public String id(int row) {
        int s = locate(row);
        return shards[s].id(row - shardStart[s]);
    }

    /** The ids of {@code rows}, in their order (a batch's ids, which both read modes hand out the same way). */
    public String[] ids(int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = id(rows[i]);
        return out;
    }

    private int locate(int row) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ") of cache entry " + name);
        return Gatherer.shardOf(shardStart, row);
    }

    /** The row holding {@code id}, via the Chronicle Map index (opened on first use). */
    public synchronized OptionalInt row(String id) {
        if (rows == 0) return OptionalInt.empty(); // an empty entry has no index file
        if (index == null) index = RowIndex.open(dir.resolve(RowIndex.FILE), "cache entry " + name);
        OptionalLong packed = index.get(id);
        if (packed.isEmpty()) return OptionalInt.empty();
        int s = RowIndex.shardOf(packed.getAsLong());
        int r = RowIndex.rowOf(packed.getAsLong());
        if (s >= shards.length || r >= shards[s].rows()) {
            throw new BadInputException("cache entry " + name + ": index points id '" + id + "' at shard " + s + " row " + r + ", which does not exist");
        }
        if (!shards[s].id(r).equals(id)) {
            throw new BadInputException("cache entry " + name + ": index points id '" + id + "' at shard " + s + " row " + r + ", which holds '" + shards[s].id(r) + "' (run glimpse cache verify)");
        }
        return OptionalInt.of(shardStart[s] + r);
    }

    /** A gatherer for one thread: rows → one [B, T, D] buffer. */
    public Gatherer newGatherer() {
        return new Gatherer(shards, shardStart, layout().rowValues(), layout().dim(), dtype());
    }

    /** Tokens of rows[0..count) of {@code layer} widened to float32 into {@code out} (indexes 0..count*T*D). */
    public void gather(int[] rows, int count, String layer, FloatBuffer out) {
        checkRows(rows, count, out.capacity(), 1);
        newGatherer().gather(rows, count, layerIndex(layer), out);
    }

    /** Tokens of rows[0..count) of {@code layer} in the stored dtype, raw little-endian, into {@code out} (int8: without scales). */
    public void gatherStored(int[] rows, int count, String layer, ByteBuffer out) {
        checkRows(rows, count, out.capacity(), dtype().bytes());
        newGatherer().gatherStored(rows, count, layerIndex(layer), out);
    }

    /** The per-token float32 scales of rows[0..count) of an int8 entry's {@code layer} into {@code out} (indexes 0..count*T). */
    public void gatherScales(int[] rows, int count, String layer, FloatBuffer out) {
        for (int i = 0; i < count; i++) {
            if (rows[i] < 0 || rows[i] >= this.rows) throw new IndexOutOfBoundsException("row " + rows[i] + " outside [0, " + this.rows + ") of cache entry " + name);
        }
        if ((long) count * layout().tokens() > out.capacity()) throw new IllegalArgumentException("output buffer holds " + out.capacity() + ", need " + (long) count * layout().tokens());
        newGatherer().gatherScales(rows, count, layerIndex(layer), out);
    }

    private void checkRows(int[] rs, int count, int capacity, int bytesPerValue) {
        for (int i = 0; i < count; i++) {
            if (rs[i] < 0 || rs[i] >= rows) throw new IndexOutOfBoundsException("row " + rs[i] + " outside [0, " + rows + ") of cache entry " + name);
        }
        if ((long) count * layout().rowValues() * bytesPerValue > capacity) throw new IllegalArgumentException("output buffer holds " + capacity + ", need " + (long) count * layout().rowValues() * bytesPerValue);
    }

    /** Every image as one stored vector, from the entry's vector sidecar (built first when missing or damaged). */
    @Override
    public CacheVectorView vectors(VectorKind kind, VectorBuildProgress progress) {
        return all.vectors(kind, progress);
    }

    /** The checked vector sidecar, opened (and built or rebuilt if need be) on first use. */
    synchronized MappedVectors vectorSidecar(VectorBuildProgress progress) {
        if (vectors == null) vectors = EntryVectors.ensure(this, progress);
        return vectors;
    }

    /** The first {@code n} images (in stored order). */
    public CacheView firstN(int n) {
        return all.firstN(n);
    }

    @Override
    public int[] labels() {
        return all.labels();
    }

    @Override
    public CacheView subset(int[] positions) {
        return all.subset(positions);
    }

    @Override
    public CacheView heldOut(int[] positions) {
        return all.heldOut(positions);
    }

    /** The stream-mode reader (its files opened and threads started on first use). */
    synchronized StreamReader streamReader() {
        if (streamReader == null) {
            List<ShardRecord> recs = manifest.shards();
            ShardFile[] files = new ShardFile[recs.size()];
            try {
                for (int s = 0; s < files.length; s++) {
                    files[s] = ShardFile.open(dir.resolve(recs.get(s).file()), "cache entry " + name + ": " + recs.get(s).file(), true);
                }
            } catch (RuntimeException e) {
                for (ShardFile f : files) if (f != null) f.close();
                throw e;
            }
            streamReader = new StreamReader(shards, shardStart, files, layout().rowValues(), layout().dim(), dtype(), STREAM_THREADS);
        }
        return streamReader;
    }

    BufferPool bufferPool() {
        return bufferPool;
    }

    String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (streamReader != null) {
            streamReader.close();
            streamReader = null;
        }
        if (index != null) {
            index.close();
            index = null;
        }
        // Mappings are released by the GC; Java 17 has no supported unmap, and reading after close is the caller's bug.
    }
}
