package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A K-view cache trains like the plain cache of the same images, step for step: an epoch shows each image once, in
 * one of its views (view 0, the un-augmented one, among them), in the plain cache's image order, so K changes which
 * pixels a step sees and not how many steps an epoch has.
 */
class ViewsPerEpochTest {
    private static final TokenLayout LAYOUT = new TokenLayout(5, 6, 1, 2, 2);
    private static final int IMAGES = 60;

    @TempDir
    Path root;

    private TokenCache entry(int views) {
        CacheStore store = CacheStore.open(root.resolve("v" + views));
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, List.of("x"), views);
        return store.openReader(Synthetic.writeEntry(store, d, LAYOUT, IMAGES * views, WriterOptions.rowsPerShard(64), 4));
    }

    private static int row(String id) {
        return Integer.parseInt(id.substring(id.indexOf('/') + 1));
    }

    @Test
    void anEpochShowsEveryImageOnceInOneViewWithThePlainCachesStepsAndOrder() {
        int k = 4;
        int[] viewCounts = new int[k];
        try (TokenCache plain = entry(1); TokenCache views = entry(k)) {
            assertEquals(plain.size(), views.size());
            for (int epoch = 0; epoch < 40; epoch++) {
                EpochPlan plan = new EpochPlan(8, true, 5, epoch, true);
                List<Integer> plainImages = new ArrayList<>();
                plain.batches(plan).forEachRemaining(b -> { for (String id : b.ids()) plainImages.add(row(id)); });
                List<Integer> viewImages = new ArrayList<>();
                int steps = 0;
                for (Iterator<TokenBatch> it = views.batches(plan); it.hasNext(); steps++) {
                    TokenBatch b = it.next();
                    for (String id : b.ids()) {
                        viewImages.add(row(id) / k);
                        viewCounts[row(id) % k]++;
                    }
                }
                assertEquals(IMAGES / 8, steps, "drop_last steps per epoch, whatever K");
                assertEquals(plainImages, viewImages, "epoch " + epoch + ": same images in the same order");
                assertEquals(plainImages.stream().distinct().count(), viewImages.size(), "each image at most once per epoch");
            }
        }
        // over 40 epochs x 56 images = 2240 draws every view, the plain view 0 included, comes up about 1/K of the time
        for (int v = 0; v < k; v++) {
            assertTrue(viewCounts[v] > 2240 / k * 0.8 && viewCounts[v] < 2240 / k * 1.2, "view " + v + ": " + viewCounts[v]);
        }
    }
}
