package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SubsetViewTest {
    static final TokenLayout LAYOUT = new TokenLayout(3, 4, 0, 0, 0);

    @TempDir
    Path root;

    private TokenCache entry(int rows, int classes) {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), 1);
        return store.openReader(Synthetic.writeEntry(store, d, LAYOUT, rows, WriterOptions.rowsPerShard(70), classes));
    }

    @Test
    void firstNKeepsStoredOrder() {
        try (TokenCache c = entry(200, 6)) {
            CacheView v = c.firstN(25);
            assertEquals(25, v.size());
            assertEquals(6, v.numClasses());
            List<String> ids = CacheRoundTripTest.order(c, EpochPlan.sequential(10)).subList(0, 25);
            List<String> got = new java.util.ArrayList<>();
            v.batches(EpochPlan.sequential(10)).forEachRemaining(b -> got.addAll(List.of(b.ids())));
            assertEquals(ids, got);
            assertEquals(200, c.firstN(1000).size());
        }
    }

    @Test
    void kPerClassIsBalancedAndSeeded() {
        try (TokenCache c = entry(300, 7)) {
            CacheView a = c.kPerClass(5, 11);
            CacheView b = c.kPerClass(5, 11);
            CacheView other = c.kPerClass(5, 12);
            assertEquals(35, a.size());
            int[] perClass = new int[7];
            for (int i = 0; i < a.size(); i++) {
                perClass[a.label(i)]++;
                assertEquals(a.image(i), b.image(i));
            }
            for (int n : perClass) {
                assertEquals(5, n);
            }
            boolean differs = false;
            for (int i = 0; i < a.size(); i++) {
                differs |= a.image(i) != other.image(i);
            }
            assertTrue(differs, "another seed draws other images");
            assertEquals(300, c.kPerClass(1000, 1).size(), "classes with fewer than k keep all their images");
        }
    }

    @Test
    void validationSplitIsStratifiedDisjointAndSeeded() {
        try (TokenCache c = entry(400, 4)) {
            CacheView.Split s = c.validationSplit(0.1, 3);
            assertEquals(40, s.validation().size());
            assertEquals(360, s.train().size());
            Set<Integer> val = new HashSet<>();
            int[] perClass = new int[4];
            for (int i = 0; i < s.validation().size(); i++) {
                val.add(s.validation().image(i));
                perClass[s.validation().label(i)]++;
            }
            for (int n : perClass) {
                assertEquals(10, n);
            }
            for (int i = 0; i < s.train().size(); i++) {
                assertFalse(val.contains(s.train().image(i)));
            }
            CacheView.Split again = c.validationSplit(0.1, 3);
            for (int i = 0; i < 40; i++) {
                assertEquals(s.validation().image(i), again.validation().image(i));
            }
            assertThrows(BadInputException.class, () -> c.validationSplit(1.0, 3));
            // a subset of a subset: low-shot training with a held-out part
            CacheView few = s.train().kPerClass(3, 5);
            assertEquals(12, few.size());
            for (int i = 0; i < few.size(); i++) {
                assertFalse(val.contains(few.image(i)));
            }
        }
    }
}
