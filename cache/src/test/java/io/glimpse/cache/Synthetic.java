package io.glimpse.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Deterministic synthetic entries for tests: every value is a function of (row, layer, position). */
final class Synthetic {
    private Synthetic() {
    }

    static CacheDescription description(String split, TokenDtype dtype, List<String> layers, int views) {
        TreeMap<String, String> pre = new TreeMap<>(Map.of("size", "28", "mean", "0.5", "std", "0.25"));
        TreeMap<String, String> aug = new TreeMap<>();
        if (views > 1) aug.put("crop", "random-resized");
        return new CacheDescription("synthetic-vit", "ab".repeat(32), layers, pre, "synthetic", "fp-1", split, dtype, views, aug, 0);
    }

    static float value(int row, int layer, int i) {
        // spans sign, magnitudes from ~1e-3 to ~1e2, and values not exact in float16
        return (float) (Math.sin(row * 0.37 + layer * 1.7 + i * 0.013) * Math.pow(10, (i % 5) - 2) + (row % 7) * 0.001);
    }

    static String id(int row) {
        return "train/" + String.format("%06d", row);
    }

    static int label(int row, int classes) {
        return (row * 7919 + 3) % classes; // 7919 is prime: every class appears
    }

    /** Appends rows [from, to) in chunks of {@code chunk}. */
    static void append(EntryWriter w, TokenLayout layout, List<String> layers, int from, int to, int chunk, int classes) {
        int tv = layout.rowValues();
        for (int start = from; start < to; start += chunk) {
            int n = Math.min(chunk, to - start);
            String[] ids = new String[n];
            int[] labels = new int[n];
            Map<String, FloatBuffer> tokens = new HashMap<>();
            for (int l = 0; l < layers.size(); l++) {
                FloatBuffer b = ByteBuffer.allocateDirect(n * tv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < tv; i++) {
                        b.put(r * tv + i, value(start + r, l, i));
                    }
                }
                tokens.put(layers.get(l), b);
            }
            for (int r = 0; r < n; r++) {
                ids[r] = id(start + r);
                labels[r] = label(start + r, classes);
            }
            w.append(ids, labels, tokens, n);
        }
    }

    static CacheKey writeEntry(CacheStore store, CacheDescription d, TokenLayout layout, int rows, WriterOptions opt, int classes) {
        try (EntryWriter w = store.openWriter(d, layout, opt)) {
            append(w, layout, d.layers(), 0, rows, 37, classes);
            w.finish(Map.of("extract_seconds", 1.5), List.of());
        }
        return d.key();
    }

    static Path shard(CacheStore store, CacheKey key, int s) {
        return store.entryDirectory(key).resolve(String.format("shard-%05d.arrow", s));
    }
}
