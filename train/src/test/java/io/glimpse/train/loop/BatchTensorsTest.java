package io.glimpse.train.loop;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.train.testing.CachedCopy;
import io.glimpse.train.testing.SyntheticSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The batch tensors equal the cache's own float32 widening, whether torch widens the stored float16 or Java does. */
class BatchTensorsTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);

    @Test
    void float16TokensWidenedByTheEngineEqualJavasWidening(@TempDir Path root) {
        assertSameTokens(root, TokenDtype.FLOAT16, true);
    }

    @Test
    void float32TokensAreWrappedAsTheyAre(@TempDir Path root) {
        assertSameTokens(root, TokenDtype.FLOAT32, false);
    }

    private static void assertSameTokens(Path root, TokenDtype dtype, boolean halves) {
        CacheStore store = CacheStore.open(root.resolve("cache"));
        SyntheticSource source = new SyntheticSource(300, LAYOUT, 5, 1.0, 1);
        CacheKey key = CachedCopy.write(store, source, "train", dtype);
        String layer = source.layers().get(0);
        StagingBuffers staging = new StagingBuffers();
        try (TokenCache cache = store.openReader(key); NDManager root0 = NDManager.newBaseManager()) {
            // shuffled, with a last partial batch: rows gathered from several shards and record batches
            Iterator<TokenBatch> it = cache.batches(new EpochPlan(64, true, 3, 1, false));
            int batches = 0;
            while (it.hasNext()) {
                TokenBatch b = it.next();
                if (halves) assertNotNull(b.halfTokenBytes(layer));
                else assertNull(b.halfTokenBytes(layer));
                try (NDManager m = root0.newSubManager()) {
                    BatchTensors t = BatchTensors.of(b, List.of(layer), LAYOUT, 5, m, staging);
                    FloatBuffer expected = b.tokens(layer);
                    float[] want = new float[expected.remaining()];
                    expected.duplicate().get(want);
                    assertArrayEquals(want, t.tokens().get(layer).toFloatArray());
                    assertEquals(b.size(), t.size());
                }
                batches++;
            }
            assertEquals(5, batches);
        }
    }
}
