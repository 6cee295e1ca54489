package io.glimpse.cache;

import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.manifest.ShardRecord;
import io.glimpse.cache.shard.FixedShapeTensorType;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Shards store no validity bitmaps (nothing is null), and shards that do carry them, as every Arrow Java writer
 * and Glimpse before it wrote them, read and verify all the same.
 */
class ValidityBitmapTest {
    static final TokenLayout LAYOUT = new TokenLayout(9, 16, 1, 2, 4);
    static final List<String> LAYERS = List.of("hidden_state_4", "last_hidden_state");
    static final int ROWS = 150;

    @TempDir
    Path root;

    @Test
    void shardsHaveEmptyValidityBuffersAndNoNulls() throws Exception {
        CacheStore store = CacheStore.open(root);
        CacheKey key = Synthetic.writeEntry(store, Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1), LAYOUT, ROWS,
                WriterOptions.rowsPerShard(100).withBatchRows(32), 5);
        for (ShardRecord s : store.find(key).orElseThrow().manifestOrNull().shards()) {
            List<RecordBatch> batches = recordBatches(store.entryDirectory(key).resolve(s.file()));
            assertFalse(batches.isEmpty());
            for (RecordBatch rb : batches) {
                for (int n = 0; n < rb.nodesLength(); n++) {
                    assertEquals(0, rb.nodes(n).nullCount(), "node " + n);
                }
                // id (validity, offsets, data), label (validity, data), per layer (list validity, values validity, values)
                for (int b : new int[] {0, 3, 5, 6, 8, 9}) {
                    assertEquals(0, rb.buffers(b).length(), "validity buffer " + b);
                }
                assertEquals(rb.length() * LAYOUT.rowValues() * 2L, rb.buffers(7).length());
                assertEquals(rb.length() * LAYOUT.rowValues() * 2L, rb.buffers(10).length());
            }
        }
    }

    @Test
    void shardsWithValidityBitmapsStillReadAndVerify() throws Exception {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, LAYERS, 1);
        CacheKey key = Synthetic.writeEntry(store, d, LAYOUT, ROWS, WriterOptions.rowsPerShard(100).withBatchRows(32), 5);
        float[][] before = gatherAll(store, key);

        Path dir = store.entryDirectory(key);
        ManifestFiles files = new ManifestFiles();
        Manifest m = files.read(dir, "test");
        List<ShardRecord> rewritten = new ArrayList<>();
        for (ShardRecord s : m.shards()) {
            Path shard = dir.resolve(s.file());
            long size = rewriteWithArrowJavaWriter(shard);
            long bitmapBytes = 0;
            for (RecordBatch rb : recordBatches(shard)) {
                assertEquals((rb.length() * LAYOUT.rowValues() + 7) / 8, rb.buffers(6).length(), "the rewrite carries a token bitmap");
                bitmapBytes += rb.buffers(6).length() + rb.buffers(9).length();
            }
            assertTrue(size >= s.bytes() + bitmapBytes, "bitmaps make the shard larger: " + size + " vs " + s.bytes());
            rewritten.add(new ShardRecord(s.file(), s.rows(), size, crc(shard)));
        }
        files.write(dir, new Manifest(m.format(), m.key(), m.status(), m.description(), m.layout(), m.rows(), m.rowsPerShard(), rewritten,
                m.indexCapacity(), m.extractionStats(), m.skippedIds(), m.created(), m.updated()));

        assertTrue(store.verify(key).ok(), () -> store.verify(key).problems().toString());
        float[][] after = gatherAll(store, key);
        for (int l = 0; l < LAYERS.size(); l++) {
            assertArrayEquals(before[l], after[l], "layer " + LAYERS.get(l));
        }
        try (TokenCache c = store.openReader(key)) {
            for (int r = 0; r < ROWS; r++) {
                assertEquals(Synthetic.id(r), c.id(r));
                assertEquals(Synthetic.label(r, 5), c.label(r));
            }
        }
    }

    /** Reads the shard with Arrow Java and writes it back with its stock writer, which writes every validity bitmap. */
    private static long rewriteWithArrowJavaWriter(Path shard) throws Exception {
        FixedShapeTensorType.register();
        Path tmp = shard.resolveSibling(shard.getFileName() + ".rewrite");
        try (BufferAllocator alloc = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(FileChannel.open(shard, StandardOpenOption.READ), alloc);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowFileWriter writer = new ArrowFileWriter(reader.getVectorSchemaRoot(), null, out)) {
            writer.start();
            while (reader.loadNextBatch()) {
                writer.writeBatch();
            }
            writer.end();
        }
        Files.move(tmp, shard, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.size(shard);
    }

    private static List<RecordBatch> recordBatches(Path shard) throws Exception {
        List<RecordBatch> out = new ArrayList<>();
        try (BufferAllocator alloc = new RootAllocator(); FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
            for (ArrowBlock block : reader.getRecordBlocks()) {
                ch.position(block.getOffset());
                MessageMetadataResult msg = MessageSerializer.readMessage(new ReadChannel(ch));
                out.add((RecordBatch) msg.getMessage().header(new RecordBatch()));
            }
        }
        return out;
    }

    private static float[][] gatherAll(CacheStore store, CacheKey key) {
        try (TokenCache c = store.openReader(key)) {
            int[] rows = new int[ROWS];
            for (int r = 0; r < ROWS; r++) {
                rows[r] = r;
            }
            float[][] out = new float[LAYERS.size()][];
            for (int l = 0; l < LAYERS.size(); l++) {
                FloatBuffer b = ByteBuffer.allocateDirect(ROWS * LAYOUT.rowValues() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                c.gather(rows, ROWS, LAYERS.get(l), b);
                out[l] = new float[ROWS * LAYOUT.rowValues()];
                b.get(0, out[l]);
            }
            return out;
        }
    }

    private static String crc(Path file) throws Exception {
        CRC32C c = new CRC32C();
        c.update(Files.readAllBytes(file));
        return String.format("%08x", c.getValue());
    }
}
