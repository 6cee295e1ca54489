package io.glimpse.eval.knn;

/** One cell of the k-NN grid: k neighbours, temperature T, top-1 and top-5 in percent. */
public record KnnCell(int k, double temperature, double top1, double top5) {
}
