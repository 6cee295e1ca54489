package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.select.RowSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SubsetViewTest {
    static final TokenLayout LAYOUT = new TokenLayout(3, 4, 0, 0, 0);

    @TempDir
    Path root;

    private TokenCache entry(int rows, int classes, int views) {
        CacheStore store = CacheStore.open(root);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), views);
        return store.openReader(Synthetic.writeEntry(store, d, LAYOUT, rows, WriterOptions.rowsPerShard(70), classes));
    }

    private static List<String> ids(io.glimpse.cache.batch.TokenSource s, EpochPlan plan) {
        List<String> got = new ArrayList<>();
        s.batches(plan).forEachRemaining(b -> got.addAll(List.of(b.ids())));
        return got;
    }

    @Test
    void firstNKeepsStoredOrder() {
        try (TokenCache c = entry(200, 6, 1)) {
            CacheView v = c.firstN(25);
            assertEquals(25, v.size());
            assertEquals(6, v.numClasses());
            List<String> all = CacheRoundTripTest.order(c, EpochPlan.sequential(10)).subList(0, 25);
            assertEquals(all, ids(v, EpochPlan.sequential(10)));
            assertEquals(200, c.firstN(1000).size());
        }
    }

    /** The cache applies the same rule to its labels as any source would to the same label list. */
    @Test
    void aSelectionPicksTheSameIdsFromTheCacheAsFromAPlainRowList() {
        int rows = 300;
        int classes = 7;
        int[] listLabels = new int[rows];
        for (int r = 0; r < rows; r++) listLabels[r] = Synthetic.label(r, classes);
        try (TokenCache c = entry(rows, classes, 1)) {
            assertArrayEquals(listLabels, c.labels());
            RowSelection selection = new RowSelection(250, 8, 0.25, 11);
            RowSelection.Rows fromList = selection.choose(listLabels);
            RowSelection.Rows fromCache = selection.choose(c.labels());
            assertArrayEquals(fromList.train(), fromCache.train());
            assertArrayEquals(fromList.validation(), fromCache.validation());
            List<String> expected = new ArrayList<>();
            for (int r : fromList.train()) expected.add(Synthetic.id(r));
            assertEquals(expected, ids(c.subset(fromCache.train()), EpochPlan.sequential(16)));
            CacheView held = c.heldOut(fromCache.validation());
            assertEquals(fromList.validation().length, held.size());
            for (int i = 0; i < held.size(); i++) assertEquals(listLabels[fromList.validation()[i]], held.label(i));
        }
    }

    @Test
    void aSubsetOfASubsetMapsThroughToEntryImages() {
        try (TokenCache c = entry(100, 4, 1)) {
            CacheView odd = c.subset(new int[] {1, 3, 5, 7, 9});
            CacheView pick = odd.subset(new int[] {0, 4});
            assertEquals(1, pick.image(0));
            assertEquals(9, pick.image(1));
            assertArrayEquals(new int[] {c.label(1), c.label(9)}, pick.labels());
            assertThrows(IllegalArgumentException.class, () -> c.subset(new int[] {3, 2}));
        }
    }

    /** Training draws one view per image and epoch; held-out rows are always view 0, the evaluation transform. */
    @Test
    void heldOutRowsOfAMultiViewEntryAreView0() {
        int views = 3;
        try (TokenCache c = entry(90, 4, views)) {
            assertEquals(30, c.size());
            int[] all = new int[30];
            for (int i = 0; i < 30; i++) all[i] = i;
            Set<String> trained = new HashSet<>();
            Set<String> held = new HashSet<>();
            for (int epoch = 0; epoch < 4; epoch++) {
                EpochPlan plan = new EpochPlan(7, true, 5, epoch, false);
                trained.addAll(ids(c.subset(all), plan));
                held.addAll(ids(c.heldOut(all), plan));
            }
            Set<String> view0 = new HashSet<>();
            for (int i = 0; i < 30; i++) view0.add(Synthetic.id(i * views));
            assertEquals(view0, held);
            assertFalse(view0.containsAll(trained), "training epochs draw other views too");
        }
    }
}
