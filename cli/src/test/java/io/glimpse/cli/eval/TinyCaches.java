package io.glimpse.cli.eval;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Small cache entries for the eval commands' tests: row r has class r % classes, tokens = class centre + noise. */
final class TinyCaches {
    static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    static final String LAYER = "hidden_state_4";

    private TinyCaches() {
    }

    static String write(CacheStore store, String split, int rows, int classes) {
        CacheDescription d = new CacheDescription("tiny-vit", "ab".repeat(32), List.of(LAYER),
                new TreeMap<>(Map.of("size", "4")), "tiny", "fp-" + split, split, TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        Random rnd = new Random(split.hashCode());
        int rv = LAYOUT.rowValues();
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.defaults())) {
            String[] ids = new String[rows];
            int[] labels = new int[rows];
            FloatBuffer b = ByteBuffer.allocateDirect(rows * rv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                ids[r] = split + "/" + r;
                labels[r] = r % classes;
                for (int i = 0; i < rv; i++) {
                    b.put(r * rv + i, (i % LAYOUT.dim() == labels[r] ? 3f : 0f) + (float) rnd.nextGaussian() * 0.3f);
                }
            }
            w.append(ids, labels, Map.of(LAYER, b), rows);
            w.finish(Map.of("extract_seconds", 2.5), List.of());
        }
        return d.key().hex();
    }
}
