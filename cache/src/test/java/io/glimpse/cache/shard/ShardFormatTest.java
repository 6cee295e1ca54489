package io.glimpse.cache.shard;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cache.half.Float16;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** Reads a shard back with Arrow Java's ordinary reader: the file is plain Arrow, not a Glimpse-only format. */
class ShardFormatTest {
    @TempDir
    Path root;

    @Test
    void shardIsArrowFileWithCanonicalTensorExtension() throws Exception {
        TokenLayout layout = new TokenLayout(4, 3, 1, 0, 0);
        CacheDescription d = new CacheDescription("b", "00".repeat(32), List.of("l0", "l1"), new TreeMap<>(), "ds", "fp", "train",
                TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        CacheStore store = CacheStore.open(root);
        int rows = 10;
        try (EntryWriter w = store.openWriter(d, layout, WriterOptions.rowsPerShard(100).withBatchRows(4))) {
            String[] ids = new String[rows];
            int[] labels = new int[rows];
            FloatBuffer t0 = ByteBuffer.allocateDirect(rows * 12 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer t1 = ByteBuffer.allocateDirect(rows * 12 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                ids[r] = "img-" + r + "-é";
                labels[r] = r % 3 - 1;
                for (int i = 0; i < 12; i++) {
                    t0.put(r * 12 + i, r + i / 16f);
                    t1.put(r * 12 + i, -r - i / 16f);
                }
            }
            w.append(ids, labels, Map.of("l0", t0, "l1", t1), rows);
            w.finish(Map.of(), List.of());
        }
        CacheKey key = d.key();
        FixedShapeTensorType.register();
        try (BufferAllocator alloc = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(FileChannel.open(store.entryDirectory(key).resolve("shard-00000.arrow"), StandardOpenOption.READ), alloc)) {
            VectorSchemaRoot vsr = reader.getVectorSchemaRoot();
            Field tokens = vsr.getSchema().getFields().get(2);
            assertEquals("tokens", tokens.getName());
            assertEquals("tokens.l1", vsr.getSchema().getFields().get(3).getName());
            assertInstanceOf(FixedShapeTensorType.class, tokens.getType());
            assertEquals("arrow.fixed_shape_tensor", ((ArrowType.ExtensionType) tokens.getType()).extensionName());
            assertEquals("{\"shape\":[4,3]}", ((ArrowType.ExtensionType) tokens.getType()).serialize());
            assertEquals("l1", vsr.getSchema().getFields().get(3).getMetadata().get("glimpse.layer"));
            assertEquals(key.hex(), vsr.getSchema().getCustomMetadata().get("glimpse.key"));
            assertEquals(3, reader.getRecordBlocks().size());
            int row = 0;
            while (reader.loadNextBatch()) {
                VarCharVector id = (VarCharVector) vsr.getVector("id");
                IntVector label = (IntVector) vsr.getVector("label");
                FixedSizeListVector list = ((FixedShapeTensorVector) vsr.getVector("tokens.l1")).getUnderlyingVector();
                Float2Vector values = (Float2Vector) list.getDataVector();
                for (int i = 0; i < vsr.getRowCount(); i++, row++) {
                    assertEquals("img-" + row + "-é", new String(id.get(i), java.nio.charset.StandardCharsets.UTF_8));
                    assertEquals(row % 3 - 1, label.get(i));
                    for (int k = 0; k < 12; k++) {
                        assertEquals(-row - k / 16f, Float16.toFloat(values.get(i * 12 + k)));
                    }
                }
            }
            assertEquals(rows, row);
        }
    }

    @Test
    void extensionTypeRoundTripsItsMetadata() {
        FixedShapeTensorType t = new FixedShapeTensorType(50, 128);
        assertEquals(6400, t.listSize());
        ArrowType back = t.deserialize(new ArrowType.FixedSizeList(6400), t.serialize());
        assertEquals(t, back);
        assertThrows(IllegalArgumentException.class, () -> t.deserialize(new ArrowType.FixedSizeList(6401), t.serialize()));
        assertThrows(IllegalArgumentException.class, () -> t.deserialize(new ArrowType.FixedSizeList(6400), "not json"));
    }
}
