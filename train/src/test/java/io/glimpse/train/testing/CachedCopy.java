package io.glimpse.train.testing;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.WriterOptions;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes any token source into a real cache entry through the cache API (tests of the cache-backed path). */
public final class CachedCopy {
    private CachedCopy() {
    }

    public static CacheKey write(CacheStore store, TokenSource source, String split, TokenDtype dtype) {
        CacheDescription d = new CacheDescription("synthetic-backbone", "cd".repeat(32), source.layers(),
                new TreeMap<>(Map.of("size", "4")), "synthetic", "fp-" + source.size(), split, dtype, 1, new TreeMap<>(), 0);
        try (EntryWriter w = store.openWriter(d, source.layout(), WriterOptions.rowsPerShard(128))) {
            Iterator<TokenBatch> it = source.batches(EpochPlan.sequential(100));
            int rv = source.layout().rowValues();
            while (it.hasNext()) {
                TokenBatch b = it.next();
                Map<String, FloatBuffer> tokens = new HashMap<>();
                for (String l : source.layers()) {
                    FloatBuffer direct = ByteBuffer.allocateDirect(b.size() * rv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    direct.put(b.tokens(l).duplicate());
                    direct.flip();
                    tokens.put(l, direct);
                }
                w.append(b.ids(), b.labels(), tokens, b.size());
            }
            w.finish(Map.of("extract_seconds", 2.0), List.of());
        }
        return d.key();
    }
}
