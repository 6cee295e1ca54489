package io.glimpse.eval.knn;

/**
 * The k nearest train rows of every query, most similar first: {@code index[q*k + i]} and {@code similarity[q*k + i]}
 * for rank i of query q.
 */
public record Neighbours(int queries, int k, int[] index, float[] similarity) {
    public int indexOf(int q, int rank) {
        return index[q * k + rank];
    }

    public float similarityOf(int q, int rank) {
        return similarity[q * k + rank];
    }
}
