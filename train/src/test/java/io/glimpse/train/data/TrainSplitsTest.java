package io.glimpse.train.data;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.train.testing.SyntheticSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainSplitsTest {
    private static final TokenLayout LAYOUT = new TokenLayout(3, 4, 1, 0, 0);

    /**
     * Stands for the online source: labels are free, tokens are costly. Reading the whole source fails the test;
     * subsets are served from the rows they name and remember whether they were held out.
     */
    private static final class CostlySource implements SelectableSource {
        final SyntheticSource rows;
        final int[] images;
        final boolean heldOut;

        CostlySource(SyntheticSource rows, int[] images, boolean heldOut) {
            this.rows = rows;
            this.images = images;
            this.heldOut = heldOut;
        }

        @Override
        public int[] labels() {
            int[] all = LabelScan.labels(rows);
            int[] out = new int[images.length];
            for (int i = 0; i < out.length; i++) out[i] = all[images[i]];
            return out;
        }

        @Override
        public CostlySource subset(int[] positions) {
            return new CostlySource(rows, map(positions), false);
        }

        @Override
        public CostlySource heldOut(int[] positions) {
            return new CostlySource(rows, map(positions), true);
        }

        private int[] map(int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < out.length; i++) out[i] = images[positions[i]];
            return out;
        }

        @Override
        public Iterator<TokenBatch> batches(EpochPlan plan) {
            assertTrue(images.length < rows.size(), "the whole source was read: tokens computed for unselected rows");
            return MaterializedSource.gather(rows, images, layers()).batches(plan);
        }

        @Override
        public TokenLayout layout() {
            return rows.layout();
        }

        @Override
        public List<String> layers() {
            return rows.layers();
        }

        @Override
        public int size() {
            return images.length;
        }

        @Override
        public int numClasses() {
            return rows.numClasses();
        }

        @Override
        public void close() {
        }
    }

    private static List<String> ids(TokenSource s) {
        List<String> out = new ArrayList<>();
        s.batches(EpochPlan.sequential(64)).forEachRemaining(b -> out.addAll(List.of(b.ids())));
        return out;
    }

    @Test
    void aSelectableSourceIsNarrowedBeforeAnyTokenIsReadAndPicksWhatACopyWouldPick() {
        SyntheticSource rows = new SyntheticSource(400, LAYOUT, 4, 1.0, 3);
        int[] all = new int[400];
        for (int i = 0; i < all.length; i++) all[i] = i;
        CostlySource costly = new CostlySource(rows, all, false);
        RowSelection selection = new RowSelection(0, 20, 0.25, 9);

        TrainSplits narrowed = TrainSplits.prepare(costly, selection, rows.layers());
        TrainSplits copied = TrainSplits.prepare(rows, selection, rows.layers());

        assertEquals(60, narrowed.train().size());
        assertEquals(20, narrowed.validation().orElseThrow().size());
        assertTrue(((CostlySource) narrowed.validation().orElseThrow()).heldOut, "validation rows are the held-out subset");
        assertEquals(ids(copied.train()), ids(narrowed.train()));
        assertEquals(ids(copied.validation().orElseThrow()), ids(narrowed.validation().orElseThrow()));
    }

    @Test
    void withoutASelectionTheSourceIsUsedAsItIs() {
        SyntheticSource rows = new SyntheticSource(40, LAYOUT, 4, 1.0, 3);
        TrainSplits s = TrainSplits.prepare(rows, new RowSelection(0, 0, 0, 0), rows.layers());
        assertSame(rows, s.train());
        assertTrue(s.validation().isEmpty());
    }
}
