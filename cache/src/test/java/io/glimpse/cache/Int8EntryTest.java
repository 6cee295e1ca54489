package io.glimpse.cache;

import io.glimpse.cache.quant.Int8Quantizer;
import io.glimpse.cache.shard.FixedShapeTensorType;
import io.glimpse.cache.shard.FixedShapeTensorVector;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** An int8 entry end to end: what is stored is exactly the quantised tokens, read back, by Arrow Java too, and verified. */
class Int8EntryTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 12, 1, 2, 2);
    private static final List<String> LAYERS = List.of("hidden_state_4", "last_hidden_state");
    private static final int ROWS = 150;

    @TempDir
    Path root;

    private CacheKey write(CacheStore store) {
        CacheDescription d = Synthetic.description("train", TokenDtype.INT8, LAYERS, 1);
        // 64 rows a shard, 16 a record batch: reads cross batch and shard boundaries
        return Synthetic.writeEntry(store, d, LAYOUT, ROWS, WriterOptions.rowsPerShard(64).withBatchRows(16), 10);
    }

    /** What the quantiser makes of row {@code r}'s tokens in {@code layer}: [T*D] q then [T] scales. */
    private static float[][] expected(int r, int layer) {
        int tv = LAYOUT.rowValues();
        FloatBuffer x = FloatBuffer.allocate(tv);
        for (int i = 0; i < tv; i++) x.put(i, Synthetic.value(r, layer, i));
        ByteBuffer q = ByteBuffer.allocate(tv);
        FloatBuffer s = FloatBuffer.allocate(LAYOUT.tokens());
        assertEquals(-1, new Int8Quantizer(LAYOUT.dim()).quantize(x, 0, q, 0, s, 0, LAYOUT.tokens()));
        float[] qf = new float[tv];
        for (int i = 0; i < tv; i++) qf[i] = q.get(i);
        return new float[][] {qf, s.array()};
    }

    @Test
    void readsBackExactlyTheQuantisedValues() {
        CacheStore store = CacheStore.open(root);
        CacheKey key = write(store);
        int tv = LAYOUT.rowValues();
        int t = LAYOUT.tokens();
        int[] rows = shuffled(ROWS, 3);
        try (TokenCache c = store.openReader(key)) {
            assertEquals(TokenDtype.INT8, c.dtype());
            for (int l = 0; l < LAYERS.size(); l++) {
                ByteBuffer q = ByteBuffer.allocate(ROWS * tv);
                FloatBuffer scales = FloatBuffer.allocate(ROWS * t);
                FloatBuffer values = FloatBuffer.allocate(ROWS * tv);
                c.gatherStored(rows, ROWS, LAYERS.get(l), q);
                c.gatherScales(rows, ROWS, LAYERS.get(l), scales);
                c.gather(rows, ROWS, LAYERS.get(l), values);
                for (int i = 0; i < ROWS; i++) {
                    float[][] want = expected(rows[i], l);
                    for (int k = 0; k < t; k++) assertEquals(want[1][k], scales.get(i * t + k), 0f, "row " + rows[i] + " scale " + k);
                    for (int v = 0; v < tv; v++) {
                        assertEquals((int) want[0][v], q.get(i * tv + v), "row " + rows[i] + " layer " + l + " q " + v);
                        assertEquals(want[0][v] * want[1][v / LAYOUT.dim()], values.get(i * tv + v), 0f, "row " + rows[i] + " value " + v);
                    }
                }
            }
        }
        assertTrue(store.verify(key).ok(), () -> store.verify(key).problems().toString());
    }

    private static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
        return a;
    }

    @Test
    void arrowJavaReadsTheInt8TensorAndItsScales() throws Exception {
        CacheStore store = CacheStore.open(root);
        CacheKey key = write(store);
        FixedShapeTensorType.register();
        int tv = LAYOUT.rowValues();
        try (BufferAllocator alloc = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(FileChannel.open(Synthetic.shard(store, key, 1), StandardOpenOption.READ), alloc)) {
            VectorSchemaRoot vsr = reader.getVectorSchemaRoot();
            List<Field> f = vsr.getSchema().getFields();
            assertEquals(List.of("id", "label", "tokens", "scales", "tokens.last_hidden_state", "scales.last_hidden_state"),
                    f.stream().map(Field::getName).toList());
            assertEquals("{\"shape\":[5,12]}", ((ArrowType.ExtensionType) f.get(4).getType()).serialize());
            assertEquals(new ArrowType.Int(8, true), f.get(4).getChildren().get(0).getType());
            assertEquals("{\"shape\":[5]}", ((ArrowType.ExtensionType) f.get(5).getType()).serialize());
            assertEquals("last_hidden_state", f.get(5).getMetadata().get("glimpse.layer"));
            int row = 64; // shard 1 starts there
            while (reader.loadNextBatch()) {
                TinyIntVector q = (TinyIntVector) ((FixedShapeTensorVector) vsr.getVector("tokens.last_hidden_state")).getUnderlyingVector().getDataVector();
                Float4Vector s = (Float4Vector) ((FixedShapeTensorVector) vsr.getVector("scales.last_hidden_state")).getUnderlyingVector().getDataVector();
                for (int i = 0; i < vsr.getRowCount(); i++, row++) {
                    float[][] want = expected(row, 1);
                    for (int v = 0; v < tv; v++) assertEquals((int) want[0][v], q.get(i * tv + v), "row " + row + " q " + v);
                    for (int k = 0; k < LAYOUT.tokens(); k++) assertEquals(want[1][k], s.get(i * LAYOUT.tokens() + k), 0f);
                }
            }
            assertEquals(128, row);
        }
    }

    @Test
    void aboutHalfTheSizeOfFloat16() {
        CacheStore store = CacheStore.open(root);
        TokenLayout vit = new TokenLayout(50, 128, 1, 7, 7); // tokens dominate the file at this size
        long[] bytes = new long[2];
        CacheKey[] keys = new CacheKey[2];
        TokenDtype[] dtypes = {TokenDtype.INT8, TokenDtype.FLOAT16};
        for (int i = 0; i < 2; i++) {
            keys[i] = Synthetic.writeEntry(store, Synthetic.description("train", dtypes[i], LAYERS, 1), vit, 64, WriterOptions.rowsPerShard(64).withBatchRows(32), 10);
            bytes[i] = store.find(keys[i]).orElseThrow().manifest().orElseThrow().shardBytes();
        }
        assertNotEquals(keys[0], keys[1], "the dtype is part of the key");
        double ratio = (double) bytes[0] / bytes[1];
        double tokens = (double) TokenDtype.INT8.rowBytes(vit) / TokenDtype.FLOAT16.rowBytes(vit); // (T*D + 4T) / 2TD
        assertTrue(ratio >= tokens && ratio < tokens + 0.02, "int8 " + bytes[0] + " bytes, float16 " + bytes[1] + ": ratio " + ratio + ", tokens alone " + tokens);
    }

    @Test
    void verifyFindsACorruptedOrTruncatedInt8Shard() throws IOException {
        CacheStore store = CacheStore.open(root);
        CacheKey key = write(store);
        Path shard = Synthetic.shard(store, key, 1);
        long size = Files.size(shard);
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(size / 2);
            int b = f.read();
            f.seek(size / 2);
            f.write(b ^ 0x10); // one bit in the middle of the token data
        }
        List<String> problems = store.verify(key).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("shard-00001.arrow: checksum mismatch"), problems.get(0));
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        problems = store.verify(key).problems();
        assertTrue(problems.get(0).contains("shard-00001.arrow: truncated (" + (size - 100) + " of " + size + " bytes)"), problems.toString());
    }

    @Test
    void aNonFiniteTokenIsRefusedNamingItsRow() {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.INT8, List.of("l"), 1);
        int tv = LAYOUT.rowValues();
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.rowsPerShard(64).withBatchRows(16))) {
            FloatBuffer x = ByteBuffer.allocateDirect(3 * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < 3 * tv; i++) x.put(i, i);
            x.put(2 * tv + 3 * LAYOUT.dim() + 1, Float.NaN);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> w.append(new String[] {"a", "b", "c"}, new int[] {0, 1, 2}, Map.of("l", x), 3));
            assertTrue(e.getMessage().contains("row 'c', layer l, token 3: holds NaN or infinity"), e.getMessage());
        }
    }
}
