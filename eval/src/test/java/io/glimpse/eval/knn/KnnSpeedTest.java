package io.glimpse.eval.knn;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search the size of full Fashion-MNIST (10k queries against 60k train rows of width 128, top-200) stays well under
 * a minute on 2 cores, so k-NN remains a cheap baseline next to the trained heads.
 */
@Tag("full")
class KnnSpeedTest {
    @Test
    void fullFashionMnistSizedSearchIsFast() {
        Random rnd = new Random(1);
        FeatureMatrix train = random(rnd, 60_000, 128);
        FeatureMatrix test = random(rnd, 10_000, 128);
        long t0 = System.nanoTime();
        Neighbours nn = ExactSearch.topK(train, test, 200, n -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        WeightedVote.grid(nn, train.labels(), test.labels(), 10, KnnSettings.DEFAULT_KS, KnnSettings.DEFAULT_TEMPERATURES);
        double voteSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf("k-NN 10k x 60k x 128, top-200: search %.1f s (%.1f GFLOP/s), 18-cell grid %.2f s%n",
                seconds, 2.0 * 10_000 * 60_000 * 128 / seconds / 1e9, voteSeconds);
        assertTrue(seconds < 60, "search took " + seconds + " s");
    }

    private static FeatureMatrix random(Random rnd, int rows, int dim) {
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) labels[i] = rnd.nextInt(10);
        return new FeatureMatrix(v, rows, dim, labels).normalizeRows();
    }
}
