package io.glimpse.eval.complementarity;

import io.glimpse.train.run.Complementarity;

/**
 * Averages the per-image metrics of {@link MapMetrics} over every image fed in, batch by batch, so a whole test
 * split never has to be held in memory.
 */
public final class ComplementarityAccumulator {
    private double avgSum;
    private double maxSum;
    private double entropySum;
    private long images;
    private long maps;
    private int queries = -1;
    private int tokens = -1;

    public void add(AttentionMaps batch) {
        if (queries >= 0 && (batch.queries() != queries || batch.tokens() != tokens)) {
            throw new IllegalArgumentException("attention maps changed shape from " + queries + "x" + tokens
                    + " to " + batch.queries() + "x" + batch.tokens());
        }
        queries = batch.queries();
        tokens = batch.tokens();
        for (int b = 0; b < batch.images(); b++) {
            if (queries > 1) {
                double[][] sim = MapMetrics.similarities(batch, b);
                avgSum += MapMetrics.avgSimilarity(sim);
                maxSum += MapMetrics.maxSimilarity(sim);
            }
            for (int m = 0; m < queries; m++) entropySum += MapMetrics.entropy(batch, b, m);
            maps += queries;
            images++;
        }
    }

    public long images() {
        return images;
    }

    /** The averages; similarities are NaN for single-query heads. */
    public Complementarity result(String split) {
        if (images == 0) throw new IllegalStateException("no attention maps were added");
        boolean pairs = queries > 1;
        return new Complementarity(pairs ? avgSum / images : Double.NaN, pairs ? maxSum / images : Double.NaN,
                entropySum / maps, Math.log(tokens), queries, tokens, Math.toIntExact(images), split);
    }
}
