package io.glimpse.eval.knn;

import java.util.ArrayList;
import java.util.List;

/**
 * The k-NN classifier of docs/heads.md#knn (DINO's weighted k-NN): each of the k most similar train rows votes
 * for its label with weight exp(sim/T); the prediction ranks classes by summed votes. Every (k, T) cell of the
 * grid is scored from one neighbour list of the largest k: votes accumulate rank by rank and are read off
 * whenever the running count reaches a k of the grid. Ties between classes go to the lower class index, so a
 * class ranks r-th when r classes beat it (strictly more votes, or equal votes and a lower index).
 */
public final class WeightedVote {
    private WeightedVote() {
    }

    /** Summed votes per class of query q's top-k neighbours (exposed for tests). */
    public static double[] votes(Neighbours nn, int q, int k, double temperature, int[] trainLabels, int classes) {
        double[] v = new double[classes];
        for (int i = 0; i < k; i++) v[trainLabels[nn.indexOf(q, i)]] += Math.exp(nn.similarityOf(q, i) / temperature);
        return v;
    }

    /** Rank of {@code label} among classes ordered by votes (0 = predicted). */
    public static int rank(double[] votes, int label) {
        int r = 0;
        for (int c = 0; c < votes.length; c++) {
            if (votes[c] > votes[label] || (votes[c] == votes[label] && c < label)) r++;
        }
        return r;
    }

    /** Scores every (k, T) with k ≤ nn.k(); ks must be ascending. */
    public static List<KnnCell> grid(Neighbours nn, int[] trainLabels, int[] queryLabels, int classes,
                                     int[] ks, double[] temperatures) {
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 1 || ks[i] > nn.k() || (i > 0 && ks[i] <= ks[i - 1])) {
                throw new IllegalArgumentException("k values must ascend within [1, " + nn.k() + "], got " + java.util.Arrays.toString(ks));
            }
        }
        long[][] hit1 = new long[ks.length][temperatures.length];
        long[][] hit5 = new long[ks.length][temperatures.length];
        double[] votes = new double[classes];
        for (int q = 0; q < nn.queries(); q++) {
            for (int t = 0; t < temperatures.length; t++) {
                java.util.Arrays.fill(votes, 0);
                int next = 0;
                for (int i = 0; i < nn.k() && next < ks.length; i++) {
                    votes[trainLabels[nn.indexOf(q, i)]] += Math.exp(nn.similarityOf(q, i) / temperatures[t]);
                    while (next < ks.length && ks[next] == i + 1) {
                        int r = rank(votes, queryLabels[q]);
                        if (r == 0) hit1[next][t]++;
                        if (r < 5) hit5[next][t]++;
                        next++;
                    }
                }
            }
        }
        List<KnnCell> cells = new ArrayList<>();
        for (int a = 0; a < ks.length; a++) {
            for (int t = 0; t < temperatures.length; t++) {
                cells.add(new KnnCell(ks[a], temperatures[t], 100.0 * hit1[a][t] / nn.queries(),
                        100.0 * hit5[a][t] / nn.queries()));
            }
        }
        return cells;
    }

    /** The best cell by top-1; ties go to the earlier cell (smaller k, then smaller T). */
    public static KnnCell best(List<KnnCell> cells) {
        KnnCell best = cells.get(0);
        for (KnnCell c : cells) if (c.top1() > best.top1()) best = c;
        return best;
    }
}
