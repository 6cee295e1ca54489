package io.glimpse.eval.knn;

import io.glimpse.cache.TokenLayout;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.testing.ArrayTokenSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnTest {

    private static FeatureMatrix random(Random rnd, int rows, int dim) {
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return new FeatureMatrix(v, rows, dim, new int[rows]).normalizeRows();
    }

    @Test
    void exactSearchEqualsBruteForce() {
        Random rnd = new Random(7);
        // sizes off the block and group sizes on purpose: partial blocks, partial query quads
        FeatureMatrix train = random(rnd, ExactSearch.TRAIN_BLOCK * 2 + 37, 19);
        FeatureMatrix queries = random(rnd, 70, 19);
        int k = 25;
        Neighbours nn = ExactSearch.topK(train, queries, k, n -> { });
        for (int q = 0; q < queries.rows(); q++) {
            double[] sims = new double[train.rows()];
            for (int r = 0; r < train.rows(); r++) {
                double s = 0;
                for (int d = 0; d < 19; d++) s += queries.values()[q * 19 + d] * train.values()[r * 19 + d];
                sims[r] = s;
            }
            Integer[] order = new Integer[train.rows()];
            for (int r = 0; r < order.length; r++) order[r] = r;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(sims[b], sims[a]));
            for (int i = 0; i < k; i++) {
                assertEquals(sims[order[i]], nn.similarityOf(q, i), 1e-5, "query " + q + " rank " + i);
                assertEquals((int) order[i], nn.indexOf(q, i), "query " + q + " rank " + i);
            }
        }
    }

    /**
     * Query (1,0). Train: class 0 at cos 0.95, class 1 twice at cos 0.9, class 2 at cos 0 (rank 4).
     * k=3: votes exp(.95/T) vs 2·exp(.9/T). T=0.01: e^95 vs 2e^90 → class 0 (e^5 = 148 > 2).
     * T=1: 2.586 vs 4.919 → class 1. k=1: class 0 whatever T.
     */
    @Test
    void votesAreWeightedByExpSimilarityOverTemperature() {
        double c1 = 0.95, c2 = 0.9;
        float[] train = {(float) c1, (float) Math.sqrt(1 - c1 * c1), (float) c2, (float) Math.sqrt(1 - c2 * c2),
                (float) c2, (float) -Math.sqrt(1 - c2 * c2), 0, 1};
        int[] trainLabels = {0, 1, 1, 2};
        FeatureMatrix t = new FeatureMatrix(train, 4, 2, trainLabels);
        FeatureMatrix q = new FeatureMatrix(new float[]{1, 0}, 1, 2, new int[]{1});
        Neighbours nn = ExactSearch.topK(t, q, 4, n -> { });
        assertEquals(0, nn.indexOf(0, 0));
        assertEquals(3, nn.indexOf(0, 3));

        double[] v = WeightedVote.votes(nn, 0, 3, 1.0, trainLabels, 3);
        assertEquals(Math.exp(0.95), v[0], 1e-5);
        assertEquals(2 * Math.exp(0.9), v[1], 1e-5);
        assertEquals(0.0, v[2]);
        assertEquals(0, WeightedVote.rank(v, 1));

        List<KnnCell> grid = WeightedVote.grid(nn, trainLabels, new int[]{1}, 3, new int[]{1, 3, 4}, new double[]{0.01, 1.0});
        // the query's true label is 1: right at k=3, T=1 only; top-5 always (3 classes)
        assertEquals(List.of(
                new KnnCell(1, 0.01, 0, 100), new KnnCell(1, 1.0, 0, 100),
                new KnnCell(3, 0.01, 0, 100), new KnnCell(3, 1.0, 100, 100),
                new KnnCell(4, 0.01, 0, 100), new KnnCell(4, 1.0, 100, 100)), grid);
        assertEquals(new KnnCell(3, 1.0, 100, 100), WeightedVote.best(grid));
    }

    @Test
    void tiesGoToTheLowerClassAndTop5CountsRanks() {
        double[] votes = {1, 3, 3, 0, 2, 2, 2};
        assertEquals(0, WeightedVote.rank(votes, 1));
        assertEquals(1, WeightedVote.rank(votes, 2));
        assertEquals(2, WeightedVote.rank(votes, 4));
        assertEquals(4, WeightedVote.rank(votes, 6));
        assertEquals(5, WeightedVote.rank(votes, 0));
    }

    /** Well-separated clusters: every query's neighbours share its label, so k-NN is perfect at every cell. */
    @Test
    void clusteredTokensAreClassifiedPerfectlyThroughTheTokenSource() {
        Random rnd = new Random(3);
        int dim = 24, classes = 6, tokens = 5; // 1 CLS + 4 patches
        float[][] centres = new float[classes][dim];
        for (float[] c : centres) for (int d = 0; d < dim; d++) c[d] = (float) rnd.nextGaussian() * 3;
        TokenLayout layout = new TokenLayout(tokens, dim, 1, 2, 2);
        ArrayTokenSource train = clustered(rnd, centres, layout, 300);
        ArrayTokenSource test = clustered(rnd, centres, layout, 90);
        for (KnnFeature f : KnnFeature.values()) {
            KnnResult r = new KnnEvaluation(false).run(train, test,
                    new KnnSettings(ArrayTokenSource.LAYER, f, new int[]{5, 10, 20, 50, 100, 200, 500}, KnnSettings.DEFAULT_TEMPERATURES));
            assertEquals(300, r.trainSize());
            assertEquals(classes, r.classes());
            // k=500 exceeds the 300 train rows and is left out of the grid
            assertEquals(6 * 3, r.grid().size());
            for (KnnCell c : r.grid()) {
                if (c.k() <= 20) assertEquals(100.0, c.top1(), 1e-9, f + " " + c);
                assertEquals(100.0, c.top5(), 1e-9);
            }
            assertEquals(5, r.best().k());
        }
    }

    /** Labels shuffled against the clusters: accuracy must fall to chance, so the test above can fail. */
    @Test
    void shuffledLabelsGiveChanceAccuracy() {
        Random rnd = new Random(5);
        int dim = 16, classes = 4;
        float[][] centres = new float[classes][dim];
        for (float[] c : centres) for (int d = 0; d < dim; d++) c[d] = (float) rnd.nextGaussian() * 3;
        TokenLayout layout = new TokenLayout(2, dim, 1, 1, 1);
        ArrayTokenSource train = clustered(rnd, centres, layout, 400);
        ArrayTokenSource test = clustered(rnd, centres, layout, 400);
        int[] shuffled = new int[400];
        for (int i = 0; i < 400; i++) shuffled[i] = rnd.nextInt(classes);
        FeatureMatrix tr = FeatureReader.read(train, ArrayTokenSource.LAYER, KnnFeature.CLS, n -> { });
        FeatureMatrix te = FeatureReader.read(test, ArrayTokenSource.LAYER, KnnFeature.CLS, n -> { });
        Neighbours nn = ExactSearch.topK(tr, te, 20, n -> { });
        double top1 = WeightedVote.grid(nn, shuffled, te.labels(), classes, new int[]{20}, new double[]{0.1}).get(0).top1();
        assertTrue(top1 > 10 && top1 < 40, "chance is 25%, got " + top1);
    }

    @Test
    void featureReaderReadsClsOrPatchMean() {
        // one row, T=3 (CLS + 2 patches), D=2
        TokenLayout layout = new TokenLayout(3, 2, 1, 1, 2);
        ArrayTokenSource src = new ArrayTokenSource(layout, new float[]{3, 4, 1, 0, 3, 2}, new int[]{0});
        assertArrayEquals(new float[]{0.6f, 0.8f}, FeatureReader.read(src, "hidden", KnnFeature.CLS, n -> { }).values(), 1e-6f);
        // patches (1,0) and (3,2): mean (2,1), normalised (2,1)/√5
        float inv = (float) (1 / Math.sqrt(5));
        assertArrayEquals(new float[]{2 * inv, inv}, FeatureReader.read(src, "hidden", KnnFeature.MEAN, n -> { }).values(), 1e-6f);
        ArrayTokenSource noCls = new ArrayTokenSource(new TokenLayout(2, 2, 0, 1, 2), new float[]{1, 2, 3, 4}, new int[]{0});
        assertThrows(EvalInputException.class, () -> FeatureReader.read(noCls, "hidden", KnnFeature.CLS, n -> { }));
        assertThrows(EvalInputException.class, () -> FeatureReader.read(src, "other", KnnFeature.CLS, n -> { }));
    }

    private static ArrayTokenSource clustered(Random rnd, float[][] centres, TokenLayout layout, int n) {
        int dim = layout.dim();
        float[] tokens = new float[n * layout.rowValues()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % centres.length;
            for (int t = 0; t < layout.tokens(); t++) {
                for (int d = 0; d < dim; d++) {
                    tokens[(i * layout.tokens() + t) * dim + d] = centres[labels[i]][d] + (float) rnd.nextGaussian() * 0.3f;
                }
            }
        }
        return new ArrayTokenSource(layout, tokens, labels);
    }
}
