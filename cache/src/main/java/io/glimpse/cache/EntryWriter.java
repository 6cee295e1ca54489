package io.glimpse.cache;

import io.glimpse.cache.index.BackgroundIndexer;
import io.glimpse.cache.index.RowIndex;
import io.glimpse.cache.index.RowIndexBuilder;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.manifest.ShardRecord;
import io.glimpse.cache.shard.MappedShard;
import io.glimpse.cache.shard.ShardFileWriter;
import io.glimpse.cache.shard.ShardSchema;
import io.glimpse.cache.shard.WritePipeline;
import io.glimpse.cache.store.AtomicFiles;
import io.glimpse.cache.store.EntryFiles;
import io.glimpse.cache.store.EntryLock;
import io.glimpse.cache.store.EntryVerifier;
import io.glimpse.cache.vectors.VectorRecord;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one cache entry, holding its lock from open to close. Rows are appended in the extractor's deterministic
 * order and streamed into the current shard's temp file through a {@link WritePipeline} (narrowing and checksums on
 * worker threads, writes, with direct IO where possible, on their own) while a {@link BackgroundIndexer} puts their
 * ids into the index; a full shard is committed before the append that filled it returns: footer → fsync →
 * checksum → atomic rename → index → manifest. A killed writer therefore loses
 * at most the shard in flight, and the next {@code openWriter} for the same key resumes after
 * {@link #committedRows()}: the caller skips exactly that many rows and appends the rest, so the finished entry
 * equals an uninterrupted run.
 */
public final class EntryWriter implements AutoCloseable {
    /** Longest id accepted, in UTF-8 bytes; bounds the shard size estimate. */
    public static final int MAX_ID_BYTES = 1024;

    private final Path dir;
    private final String name;
    private final ShardSchema schema;
    private final EntryLock lock;
    private final ManifestFiles manifests = new ManifestFiles();
    private final BufferAllocator allocator = new RootAllocator();
    private final Map<String, String> shardMetadata;
    private final int rowsPerShard;
    private final int batchRows;
    private final long expectedRows;
    private final WritePipeline pipeline;
    private Manifest manifest;
    private RowIndex index;
    private BackgroundIndexer indexer;
    private ShardFileWriter current;
    private Path currentTemp;
    private final List<String> currentIds = new ArrayList<>();
    private final Set<String> currentIdSet = new HashSet<>();
    private boolean finished;
    private boolean closed;

    EntryWriter(Path dir, CacheDescription description, TokenLayout layout, WriterOptions options) {
        CacheKey key = description.key();
        this.dir = dir;
        this.name = key.shortForm();
        this.schema = new ShardSchema(layout, description.dtype(), description.layers());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("cache entry " + name + ": cannot create " + dir + ": " + e.getMessage(), e);
        }
        this.lock = EntryLock.acquire(dir, name);
        try {
            long tokenRowBytes = description.dtype().rowBytes(layout) * description.layers().size();
            long worstRow = tokenRowBytes + 8 + MAX_ID_BYTES + 1;
            int maxRows = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (options.maxShardBytes() - (1 << 20) / 2) / worstRow));
            if (Files.exists(dir.resolve(ManifestFiles.FILE))) {
                manifest = manifests.read(dir, name);
                checkResumable(description, layout);
            } else {
                int rows = options.rowsPerShard() > 0 ? Math.min(options.rowsPerShard(), maxRows) : maxRows;
                String now = Instant.now().toString();
                manifest = new Manifest(Manifest.FORMAT, key.hex(), EntryStatus.PARTIAL, description, layout, 0, rows,
                        List.of(), 0, Map.of(), List.of(), now, now);
                manifests.write(dir, manifest);
            }
            this.rowsPerShard = manifest.rowsPerShard();
            int defaultBatch = (int) Math.max(1, Math.min(4096, (32L << 20) / Math.max(1, tokenRowBytes)));
            this.batchRows = Math.min(options.batchRows() > 0 ? options.batchRows() : defaultBatch, rowsPerShard);
            this.pipeline = new WritePipeline(schema, batchRows, options.threads() > 0 ? options.threads() : WriterOptions.defaultThreads(), options.directIo(), allocator);
            this.expectedRows = options.expectedRows();
            Map<String, String> meta = new TreeMap<>();
            meta.put("glimpse.key", key.hex());
            meta.put("glimpse.layers", String.join(",", description.layers()));
            meta.put("glimpse.layout", "{\"tokens\":" + layout.tokens() + ",\"dim\":" + layout.dim() + ",\"prefix_tokens\":" + layout.prefixTokens()
                    + ",\"grid_h\":" + layout.gridH() + ",\"grid_w\":" + layout.gridW() + "}");
            this.shardMetadata = meta;
            cleanLeftovers();
            openIndexForResume();
            long firstShard = expectedRows > 0 ? Math.min(rowsPerShard, expectedRows) : rowsPerShard;
            indexer = new BackgroundIndexer(dir.resolve(RowIndex.FILE), index, manifest.indexCapacity(), Math.max(Math.max(expectedRows, 1024), firstShard * 2));
        } catch (RuntimeException | IOException e) {
            closeQuietly();
            if (e instanceof IOException io) throw new UncheckedIOException("cache entry " + name + ": " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
    }

    private void checkResumable(CacheDescription description, TokenLayout layout) {
        if (manifest.status() == EntryStatus.COMPLETE) {
            throw new BadInputException("cache entry " + name + " is already complete; remove it first (glimpse cache rm " + name + ") to rebuild it");
        }
        if (!manifest.description().canonical().equals(description.canonical())) {
            throw new BadInputException("cache entry " + name + ": " + ManifestFiles.FILE + " describes other inputs than its key; remove the entry");
        }
        if (!manifest.layout().equals(layout)) {
            throw new BadInputException("cache entry " + name + " was started with token layout " + manifest.layout() + " but the backbone now gives " + layout);
        }
    }

    /**
     * Temp shards of a killed writer, and shards renamed but never recorded in the manifest, are not cache data; nor is
     * a vector sidecar left from an earlier entry under this key: it describes other shards than the ones about to be written.
     */
    private void cleanLeftovers() throws IOException {
        Set<String> committed = new HashSet<>();
        manifest.shards().forEach(s -> committed.add(s.file()));
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                boolean tempShard = f.startsWith(EntryFiles.SHARD_PREFIX) && f.endsWith(EntryFiles.TEMP_SUFFIX);
                boolean orphanShard = EntryFiles.isShardName(f) && !committed.contains(f);
                boolean tempOther = f.equals(RowIndex.FILE + EntryFiles.TEMP_SUFFIX) || f.equals(ManifestFiles.FILE + EntryFiles.TEMP_SUFFIX);
                boolean staleVectors = f.startsWith("vectors.") && (f.equals(VectorRecord.FILE) || f.equals(VectorRecord.DATA_FILE) || f.endsWith(EntryFiles.TEMP_SUFFIX));
                if (tempShard || orphanShard || tempOther || staleVectors) Files.delete(p);
            }
        }
    }

    private void openIndexForResume() throws IOException {
        if (manifest.rows() == 0) {
            Files.deleteIfExists(dir.resolve(RowIndex.FILE));
            return;
        }
        Path file = dir.resolve(RowIndex.FILE);
        // A writer killed mid-update may leave the index half written (or a Chronicle segment lock held): rebuild.
        if (Files.isRegularFile(file) && lock.recoveredFromPid().isEmpty()) {
            RowIndex existing = RowIndex.open(file, "cache entry " + name);
            if (existing.size() == manifest.rows()) {
                index = existing;
                return;
            }
            existing.close(); // killed between index and manifest update: rebuild from the committed shards
        }
        long capacity = Math.max(manifest.indexCapacity(), Math.max(expectedRows, manifest.rows() * 2));
        index = RowIndexBuilder.rebuild(dir, manifest, schema, capacity, "cache entry " + name);
        manifest = manifest.withIndexCapacity(capacity, Instant.now().toString());
        manifests.write(dir, manifest);
    }

    public CacheKey key() {
        return new CacheKey(manifest.key());
    }

    /** Rows durable in committed shards; a resumed extraction skips exactly this many rows. */
    public long committedRows() {
        return manifest.rows();
    }

    /** The pid of a killed writer whose lock this writer recovered, if any. */
    public OptionalLong recoveredLockFromPid() {
        return lock.recoveredFromPid();
    }

    public int rowsPerShard() {
        return rowsPerShard;
    }

    /** The entry directory, where shards written elsewhere must be placed before {@link #commitShardFile}. */
    public Path directory() {
        return dir;
    }

    /** Shards recorded in the manifest; the next one committed gets this index. */
    public int committedShards() {
        return manifest.shards().size();
    }

    /** The layout of this entry's shards, for writers that do not hold the lock (see {@link ShardFormat}). */
    public ShardFormat shardFormat() {
        TokenLayout l = schema.layout();
        return new ShardFormat(l.tokens(), l.dim(), l.prefixTokens(), l.gridH(), l.gridW(), schema.dtype().label(), schema.layers(),
                rowsPerShard, batchRows, shardMetadata);
    }

    /**
     * Records a shard that another process wrote with {@link #shardFormat()} and already renamed to its final name
     * ({@code EntryFiles.shardName(committedShards())}): checks its size, CRC-32C, schema, rows and ids against
     * what that process reported and against the entry, then indexes it and updates the manifest, as a shard
     * appended through this writer is. Shards are committed in order; appends and committed files do not mix.
     */
    public void commitShardFile(String file, int rows, long bytes, String crc32c) {
        if (finished || closed) throw new IllegalStateException("cache entry " + name + ": writer is " + (finished ? "finished" : "closed"));
        if (current != null) throw new IllegalStateException("cache entry " + name + ": a shard is being appended; cannot commit " + file);
        int shard = manifest.shards().size();
        String want = EntryFiles.shardName(shard);
        if (!want.equals(file)) throw new IllegalStateException("cache entry " + name + ": the next shard is " + want + ", not " + file);
        Path path = dir.resolve(file);
        String where = "cache entry " + name + ": " + file;
        try {
            String crc = EntryVerifier.crc32c(path, null);
            if (!crc.equals(crc32c)) throw new BadInputException(where + ": CRC-32C " + crc + " but its writer reported " + crc32c);
            MappedShard mapped = MappedShard.open(path, schema, bytes, rows, where);
            currentIds.clear();
            currentIdSet.clear();
            for (int r = 0; r < rows; r++) {
                String id = mapped.id(r);
                if (!currentIdSet.add(id) || (index != null && index.contains(id))) throw new BadInputException(where + ": id '" + id + "' appears twice");
                currentIds.add(id);
            }
            long capacity = ensureIndexCapacity(manifest.rows() + rows);
            for (int r = 0; r < rows; r++) {
                index.put(currentIds.get(r), shard, r);
            }
            manifest = manifest.withShard(new ShardRecord(file, rows, bytes, crc32c), capacity, Instant.now().toString());
            manifests.write(dir, manifest);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": missing");
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        } finally {
            currentIds.clear();
            currentIdSet.clear();
        }
    }

    /**
     * Appends {@code n} rows: ids and labels (−1 unknown) from index 0, and for every layer of the description a
     * float32 buffer holding [n, T, D] from its position (positions are not moved). Values are narrowed to the
     * storage dtype. Throws {@link BadInputException} on a missing layer, a short buffer, an empty, too long or
     * repeated id.
     */
    public void append(String[] ids, int[] labels, Map<String, FloatBuffer> tokensPerLayer, int n) {
        if (finished || closed) throw new IllegalStateException("cache entry " + name + ": writer is " + (finished ? "finished" : "closed"));
        if (n < 0 || ids.length < n || labels.length < n) throw new IllegalArgumentException("append of " + n + " rows with " + ids.length + " ids and " + labels.length + " labels");
        List<FloatBuffer> ordered = new ArrayList<>(schema.layers().size());
        long need = (long) n * schema.layout().rowValues();
        for (String layer : schema.layers()) {
            FloatBuffer b = tokensPerLayer.get(layer);
            if (b == null) throw new BadInputException("cache entry " + name + ": no tokens given for layer '" + layer + "' (given: " + tokensPerLayer.keySet() + ")");
            if (b.remaining() < need) throw new BadInputException("cache entry " + name + ": layer '" + layer + "' has " + b.remaining() + " values, " + n + " rows need " + need);
            ordered.add(b);
        }
        if (tokensPerLayer.size() != schema.layers().size()) {
            throw new BadInputException("cache entry " + name + ": tokens given for layers " + tokensPerLayer.keySet() + ", the entry stores " + schema.layers());
        }
        for (int i = 0; i < n; i++) {
            String id = ids[i];
            if (id == null || id.isEmpty()) throw new BadInputException("cache entry " + name + ": row " + (committedRows() + currentIds.size() + i) + " has an empty id");
            if (labels[i] < -1) throw new BadInputException("cache entry " + name + ": id '" + id + "' has label " + labels[i] + " (labels are >= 0, or -1 when unknown)");
            if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) throw new BadInputException("cache entry " + name + ": id longer than " + MAX_ID_BYTES + " bytes: " + id.substring(0, 40) + "...");
        }
        try {
            int done = 0;
            while (done < n) {
                if (current == null) startShard();
                int take = Math.min(rowsPerShard - current.rows(), n - done);
                for (int i = done; i < done + take; i++) {
                    if (!currentIdSet.add(ids[i]) || indexer.contains(ids[i])) {
                        throw new BadInputException("cache entry " + name + ": id '" + ids[i] + "' appears twice");
                    }
                    currentIds.add(ids[i]);
                }
                current.append(ids, labels, ordered, done, take);
                indexer.add(ids, done, take, manifest.shards().size(), current.rows() - take);
                done += take;
                if (current.rows() == rowsPerShard) commitShard();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + name + ": writing " + currentTemp + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Commits the shard being appended now, even if it holds fewer than {@code rowsPerShard} rows (no-op when none is
     * open). Lets an extraction that skips bad images keep shard boundaries at fixed rows of its plan, so the layout
     * does not depend on which engine wrote the entry.
     */
    public void endShard() {
        if (finished || closed) throw new IllegalStateException("cache entry " + name + ": writer is " + (finished ? "finished" : "closed"));
        if (current == null || current.rows() == 0) return;
        try {
            commitShard();
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + name + ": committing " + currentTemp + " failed: " + e.getMessage(), e);
        }
    }

    private void startShard() throws IOException {
        currentTemp = dir.resolve(EntryFiles.shardName(manifest.shards().size()) + EntryFiles.TEMP_SUFFIX);
        current = new ShardFileWriter(currentTemp, shardMetadata, pipeline);
        currentIds.clear();
        currentIdSet.clear();
    }

    private void commitShard() throws IOException {
        int shard = manifest.shards().size();
        ShardFileWriter.Written w = current.finish();
        current = null;
        String file = EntryFiles.shardName(shard);
        AtomicFiles.rename(currentTemp, dir.resolve(file));
        long capacity = ensureIndexCapacity(manifest.rows() + w.rows());
        for (int r = indexer.rowsPut(shard); r < currentIds.size(); r++) {
            index.put(currentIds.get(r), shard, r);
        }
        manifest = manifest.withShard(new ShardRecord(file, w.rows(), w.bytes(), w.crc32c()), capacity, Instant.now().toString());
        manifests.write(dir, manifest);
        currentIds.clear();
        currentIdSet.clear();
    }

    /**
     * Takes the index back from the indexing thread (which creates a new entry's at the first ids), or creates it, or
     * rebuilds it bigger when the next shard would overflow it.
     */
    private long ensureIndexCapacity(long needed) throws IOException {
        indexer.await();
        index = indexer.index();
        long capacity = indexer.capacity();
        if (index != null && needed <= capacity) return capacity;
        long grown = Math.max(Math.max(expectedRows, 1024), Math.max(needed * 2, capacity * 2));
        if (index == null) {
            double avg = currentIds.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).average().orElse(16);
            Path file = dir.resolve(RowIndex.FILE);
            Files.deleteIfExists(file);
            index = RowIndex.create(file, grown, avg);
        } else {
            index.close();
            index = RowIndexBuilder.rebuild(dir, manifest, schema, grown, "cache entry " + name);
        }
        indexer.replace(index, grown);
        return grown;
    }

    /**
     * Commits the last shard and marks the entry COMPLETE, recording the extraction statistics and skipped ids.
     * The writer is closed afterwards.
     */
    public Manifest finish(Map<String, Object> extractionStats, List<String> skippedIds) {
        if (closed) throw new IllegalStateException("cache entry " + name + ": writer is closed");
        try {
            if (current != null && current.rows() > 0) commitShard();
            manifest = manifest.completed(extractionStats, skippedIds, Instant.now().toString());
            manifests.write(dir, manifest);
            finished = true;
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + name + ": finishing failed: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    /** Without {@link #finish}: drops the shard in flight and leaves a PARTIAL entry the next writer resumes. */
    @Override
    public void close() {
        if (closed) return;
        closeQuietly();
    }

    private void closeQuietly() {
        closed = true;
        if (current != null) {
            current.abort();
            current = null;
        }
        if (indexer != null) {
            indexer.close();
            index = indexer.index(); // possibly created on its thread; never committed then, and deleted by the next writer
        }
        if (index != null) {
            index.close();
            index = null;
        }
        if (pipeline != null) pipeline.close();
        allocator.close();
        if (lock != null) lock.close();
    }
}
