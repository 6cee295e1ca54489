package io.glimpse.eval.complementarity;

import io.glimpse.train.run.Complementarity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The complementarity metrics of docs/result-json.md#complementarity on hand-built maps with answers known by hand. */
class ComplementarityTest {
    private static final double EPS = 1e-6;

    private static AttentionMaps maps(int b, int m, int n, float... v) {
        return new AttentionMaps(v, b, m, n);
    }

    @Test
    void identicalMapsAreFullySimilar() {
        AttentionMaps a = maps(1, 3, 4, .1f, .2f, .3f, .4f, .1f, .2f, .3f, .4f, .1f, .2f, .3f, .4f);
        double[][] sim = MapMetrics.similarities(a, 0);
        assertEquals(1.0, MapMetrics.avgSimilarity(sim), EPS);
        assertEquals(1.0, MapMetrics.maxSimilarity(sim), EPS);
    }

    @Test
    void disjointMapsAreFullyComplementary() {
        // each query attends to its own two tokens only
        AttentionMaps a = maps(1, 3, 6, .5f, .5f, 0, 0, 0, 0, 0, 0, .5f, .5f, 0, 0, 0, 0, 0, 0, .5f, .5f);
        double[][] sim = MapMetrics.similarities(a, 0);
        assertEquals(0.0, MapMetrics.avgSimilarity(sim), EPS);
        assertEquals(0.0, MapMetrics.maxSimilarity(sim), EPS);
    }

    @Test
    void maxDiffersFromAverageWhenOnePairOverlaps() {
        // a1 = (.5,.5,0,0), a2 = (.5,0,.5,0), a3 = (0,0,0,1): cos(a1,a2) = .25/.5 = .5, the others 0
        AttentionMaps a = maps(1, 3, 4, .5f, .5f, 0, 0, .5f, 0, .5f, 0, 0, 0, 0, 1);
        double[][] sim = MapMetrics.similarities(a, 0);
        assertEquals(0.5, sim[0][1], EPS);
        assertEquals(2 * 0.5 / 6, MapMetrics.avgSimilarity(sim), EPS); // ordered pairs: (1,2),(2,1) of 6
        assertEquals((0.5 + 0.5 + 0.0) / 3, MapMetrics.maxSimilarity(sim), EPS);
    }

    @Test
    void entropiesOfKnownMaps() {
        AttentionMaps a = maps(1, 3, 4, .25f, .25f, .25f, .25f, 1, 0, 0, 0, .5f, .5f, 0, 0);
        assertEquals(Math.log(4), MapMetrics.entropy(a, 0, 0), EPS);
        assertEquals(0.0, MapMetrics.entropy(a, 0, 1), EPS);
        assertEquals(Math.log(2), MapMetrics.entropy(a, 0, 2), EPS);
    }

    @Test
    void accumulatorAveragesOverImagesAndBatches() {
        ComplementarityAccumulator acc = new ComplementarityAccumulator();
        // image 1: identical uniform maps (sim 1, entropy ln 4); image 2: disjoint one-hot maps (sim 0, entropy 0)
        acc.add(maps(1, 2, 4, .25f, .25f, .25f, .25f, .25f, .25f, .25f, .25f));
        acc.add(maps(1, 2, 4, 1, 0, 0, 0, 0, 1, 0, 0));
        Complementarity c = acc.result("test");
        assertEquals(0.5, c.avgSimilarity(), EPS);
        assertEquals(0.5, c.maxSimilarity(), EPS);
        assertEquals(Math.log(4) / 2, c.meanEntropy(), EPS);
        assertEquals(Math.log(4), c.maxEntropy(), EPS);
        assertEquals(2, c.images());
        assertEquals(2, c.queries());
        assertEquals(4, c.tokens());
    }

    @Test
    void singleQueryHeadsHaveEntropyButNoSimilarity() {
        ComplementarityAccumulator acc = new ComplementarityAccumulator();
        acc.add(maps(2, 1, 2, .5f, .5f, 1, 0));
        Complementarity c = acc.result("test");
        assertTrue(Double.isNaN(c.avgSimilarity()) && Double.isNaN(c.maxSimilarity()));
        assertEquals(Math.log(2) / 2, c.meanEntropy(), EPS);
    }

    @Test
    void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> maps(1, 2, 3, 1, 2, 3));
        ComplementarityAccumulator acc = new ComplementarityAccumulator();
        acc.add(maps(1, 1, 2, .5f, .5f));
        assertThrows(IllegalArgumentException.class, () -> acc.add(maps(1, 1, 3, .2f, .3f, .5f)));
        assertThrows(IllegalStateException.class, () -> new ComplementarityAccumulator().result("test"));
    }
}
