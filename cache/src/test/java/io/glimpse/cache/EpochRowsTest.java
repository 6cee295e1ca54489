package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vector pass reads the rows of the token pass it stands in for: same ids, same order, same view draws. */
class EpochRowsTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 6, 1, 2, 2);

    @TempDir
    Path root;

    private TokenCache entry(int rows, int views) {
        CacheStore store = CacheStore.open(root.resolve("v" + views));
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), views);
        return store.openReader(Synthetic.writeEntry(store, d, LAYOUT, rows, WriterOptions.rowsPerShard(40), 4));
    }

    @Test
    void vectorAndTokenViewsOfOneEntryReadTheSameRowsInTheSameOrder() {
        for (int views : new int[] {1, 3}) {
            try (TokenCache c = entry(93 * views, views)) {
                int[] odd = new int[c.size() / 2];
                for (int i = 0; i < odd.length; i++) odd[i] = 2 * i + 1;
                Set<List<String>> orders = new HashSet<>();
                for (int epoch = 0; epoch < 3; epoch++) {
                    for (EpochPlan plan : List.of(new EpochPlan(16, true, 7, epoch, true), new EpochPlan(10, true, 8, epoch, false), EpochPlan.sequential(25))) {
                        for (VectorKind kind : VectorKind.values()) {
                            CacheVectorView vectors = c.vectors(kind, VectorBuildProgress.SILENT);
                            assertSameRows(c, vectors, plan, kind, views);
                            assertSameRows(c.subset(odd), vectors.subset(odd), plan, kind, views);
                            assertSameRows(c.heldOut(odd), vectors.heldOut(odd), plan, kind, views);
                            assertSameRows(c.firstN(40), vectors.firstN(40), plan, kind, views);
                        }
                        if (plan.shuffle()) orders.add(ids(c, plan));
                    }
                }
                assertEquals(6, orders.size(), "each (seed, epoch) shuffles differently");
                if (views > 1) {
                    Set<String> drawn = new HashSet<>();
                    for (List<String> o : orders) drawn.addAll(o);
                    assertTrue(drawn.stream().anyMatch(id -> Integer.parseInt(id.substring(id.indexOf('/') + 1)) % views != 0), "epochs draw views other than 0");
                    assertNotEquals(ids(c.subset(odd), new EpochPlan(10, false, 1, 0, false)), ids(c.subset(odd), new EpochPlan(10, false, 2, 0, false)),
                            "the view draw depends on the seed");
                }
            }
        }
    }

    private static void assertSameRows(TokenSource tokens, CacheVectorView vectors, EpochPlan plan, VectorKind kind, int views) {
        Iterator<TokenBatch> a = tokens.batches(plan);
        Iterator<TokenBatch> b = vectors.batches(plan);
        int batches = 0;
        while (a.hasNext()) {
            assertTrue(b.hasNext(), "vector pass ends early at batch " + batches);
            TokenBatch ta = a.next();
            TokenBatch tb = b.next();
            String where = "views=" + views + " " + plan + " " + kind + " batch " + batches;
            assertArrayEquals(ta.ids(), tb.ids(), where);
            assertArrayEquals(ta.labels(), tb.labels(), where);
            if (kind == VectorKind.CLS) {
                FloatBuffer x = ta.tokens("x");
                FloatBuffer y = tb.tokens("x");
                for (int i = 0; i < ta.size(); i++) {
                    for (int j = 0; j < LAYOUT.dim(); j++) assertEquals(x.get(i * LAYOUT.rowValues() + j), y.get(i * LAYOUT.dim() + j), 0f, where);
                }
            }
            batches++;
        }
        assertFalse(b.hasNext(), "vector pass runs past the token pass");
        assertTrue(batches > 0);
    }

    private static List<String> ids(TokenSource s, EpochPlan plan) {
        List<String> got = new ArrayList<>();
        s.batches(plan).forEachRemaining(b -> got.addAll(List.of(b.ids())));
        return got;
    }
}
