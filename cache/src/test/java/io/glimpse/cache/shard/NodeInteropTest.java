package io.glimpse.cache.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Interoperability: a shard written by Glimpse is read by the npm {@code apache-arrow} package (an Arrow
 * implementation independent of Arrow Java), which checks the tensor extension name and shape metadata, ids, labels
 * and every token value against a JSON file written here; int8 shards are dequantised there by
 * {@code dequantize-int8.mjs}, the snippet docs/cache-format.md shows. In CI (CI=true) a missing node or
 * node_modules fails the test; elsewhere it is skipped with the reason.
 */
class NodeInteropTest {
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();

    @TempDir
    Path root;

    @Test
    void float16ShardWithTwoLayersReadsInArrowJs() throws Exception {
        check(TokenDtype.FLOAT16, List.of("hidden_state_4", "last_hidden_state"));
    }

    @Test
    void float32ShardReadsInArrowJs() throws Exception {
        check(TokenDtype.FLOAT32, List.of("last_hidden_state"));
    }

    @Test
    void int8ShardWithTwoLayersDequantisesInArrowJs() throws Exception {
        check(TokenDtype.INT8, List.of("hidden_state_4", "last_hidden_state"));
    }

    /** The arrow-js dequantisation that docs/cache-format.md shows is the one this test runs, verbatim. */
    @Test
    void documentedDequantisationIsTheTestedOne() throws IOException {
        String module = Files.readString(NODE_DIR.resolve("dequantize-int8.mjs"));
        String doc = Files.readString(NODE_DIR.getParent().getParent().getParent().getParent().resolve("docs").resolve("cache-format.md"));
        assertTrue(doc.contains("```js\n" + module + "```"), "docs/cache-format.md must show src/test/node/dequantize-int8.mjs verbatim in a js block");
    }

    private void check(TokenDtype dtype, List<String> layers) throws Exception {
        requireNode();
        TokenLayout layout = new TokenLayout(5, 3, 1, 2, 2);
        CacheDescription d = new CacheDescription("interop-vit", "ef".repeat(32), layers, new TreeMap<>(), "interop", "fp", "test", dtype, 1, new TreeMap<>(), 0);
        int rows = 11;
        int tv = layout.rowValues();
        String[] ids = new String[rows];
        int[] labels = new int[rows];
        Map<String, FloatBuffer> tokens = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            FloatBuffer b = ByteBuffer.allocateDirect(rows * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < tv; i++) {
                    // magnitudes from float16 subnormals to ~6e4, both signs, values not exact in float16
                    b.put(r * tv + i, (float) ((i % 2 == 0 ? 1 : -1) * Math.pow(3.7, (r + i + l) % 17 - 9) * 1.01));
                }
            }
            tokens.put(layers.get(l), b);
        }
        for (int r = 0; r < rows; r++) {
            ids[r] = "test/ü-" + r;
            labels[r] = r % 4 - 1;
        }
        CacheStore store = CacheStore.open(root);
        try (EntryWriter w = store.openWriter(d, layout, WriterOptions.rowsPerShard(100).withBatchRows(4))) {
            w.append(ids, labels, tokens, rows);
            w.finish(Map.of(), List.of());
        }
        CacheKey key = d.key();
        Map<String, Object> expected = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<String> scales = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        try (TokenCache c = store.openReader(key)) {
            int[] all = new int[rows];
            for (int r = 0; r < rows; r++) {
                all[r] = r;
            }
            for (int l = 0; l < layers.size(); l++) {
                String column = ShardSchema.columnName(l, layers.get(l));
                columns.add(column);
                fields.add(column);
                if (dtype.scaled()) {
                    scales.add(ShardSchema.scaleColumnName(l, layers.get(l)));
                    fields.add(ShardSchema.scaleColumnName(l, layers.get(l)));
                }
                FloatBuffer out = ByteBuffer.allocateDirect(rows * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                c.gather(all, rows, layers.get(l), out); // what Glimpse itself reads back
                List<double[]> perRow = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    double[] row = new double[tv];
                    for (int i = 0; i < tv; i++) {
                        row[i] = out.get(r * tv + i); // widened to double: JSON and JS numbers hold it exactly
                    }
                    perRow.add(row);
                }
                values.put(column, perRow);
            }
        }
        expected.put("shape", List.of(layout.tokens(), layout.dim()));
        expected.put("dtype", dtype.label());
        expected.put("columns", columns);
        expected.put("fields", fields);
        expected.put("scales", scales);
        expected.put("ids", List.of(ids));
        expected.put("labels", labels);
        expected.put("tokens", values);
        Path json = root.resolve("expected.json");
        new ObjectMapper().writeValue(json.toFile(), expected);

        Path shard = store.entryDirectory(key).resolve("shard-00000.arrow");
        Process p = new ProcessBuilder("node", NODE_DIR.resolve("read-shard.mjs").toString(), shard.toString(), json.toString())
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node timed out");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("interop ok: " + rows + " rows"), output);
    }

    private static void requireNode() throws InterruptedException {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean hasNode;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            hasNode = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            hasNode = false;
        }
        boolean hasModules = Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("apache-arrow"));
        String missing = !hasNode ? "node is not installed" : !hasModules ? NODE_DIR + "/node_modules lacks apache-arrow (run: npm ci there)" : null;
        if (missing == null) return;
        if (ci) fail("interop test needs Node and apache-arrow in CI: " + missing + " (.ci/run installs both)");
        Assumptions.assumeTrue(false, "skipping the Arrow interop test: " + missing);
    }
}
