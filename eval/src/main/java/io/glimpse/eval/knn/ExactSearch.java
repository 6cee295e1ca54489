package io.glimpse.eval.knn;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Exact top-k by inner product (cosine on unit rows) of every query against every train row, in plain Java.
 * The kernel is a 4×4 register tile: four query rows against four train rows, sixteen running dot products kept
 * in registers while the shared dimension streams by (8 loads feed 16 multiply-adds, nothing is stored inside the
 * loop). A group of {@value #QUERY_GROUP} queries sweeps one block of {@value #TRAIN_BLOCK} train rows while the
 * block sits in L2; query groups run in parallel. Each query keeps a size-k min-heap of its best similarities.
 * Rows are zero-padded to multiples of 4, and the padded scores are never offered.
 */
public final class ExactSearch {
    static final int TRAIN_BLOCK = 512;
    private static final int QUERY_GROUP = 64;

    private ExactSearch() {
    }

    /** @param progress called with the number of queries finished, as groups complete (any thread) */
    public static Neighbours topK(FeatureMatrix train, FeatureMatrix queries, int k, IntConsumer progress) {
        if (train.dim() != queries.dim()) {
            throw new IllegalArgumentException("train vectors have dim " + train.dim() + ", queries " + queries.dim());
        }
        if (k <= 0 || k > train.rows()) throw new IllegalArgumentException("k=" + k + " outside [1, " + train.rows() + "]");
        int dim = train.dim();
        float[] t = padded(train);
        float[] q = padded(queries);
        int[] index = new int[queries.rows() * k];
        float[] sim = new float[queries.rows() * k];
        int groups = (queries.rows() + QUERY_GROUP - 1) / QUERY_GROUP;
        IntStream.range(0, groups).parallel().forEach(g -> {
            int q0 = g * QUERY_GROUP;
            int q1 = Math.min(queries.rows(), q0 + QUERY_GROUP);
            searchGroup(q, q0, q1, t, train.rows(), dim, k, index, sim);
            progress.accept(q1 - q0);
        });
        return new Neighbours(queries.rows(), k, index, sim);
    }

    /** The rows, followed by zero rows up to a multiple of 4. */
    private static float[] padded(FeatureMatrix m) {
        int rows = (m.rows() + 3) / 4 * 4;
        return java.util.Arrays.copyOf(m.values(), rows * m.dim());
    }

    private static void searchGroup(float[] q, int q0, int q1, float[] t, int trainRows, int dim, int k,
                                    int[] index, float[] sim) {
        int n = q1 - q0;
        int nPad = (n + 3) / 4 * 4;
        float[][] heapSim = new float[n][k];
        int[][] heapIdx = new int[n][k];
        int[] heapSize = new int[n];
        float[] scores = new float[nPad * TRAIN_BLOCK];
        for (int b0 = 0; b0 < trainRows; b0 += TRAIN_BLOCK) {
            int rows = Math.min(TRAIN_BLOCK, trainRows - b0);
            int rowsPad = (rows + 3) / 4 * 4;
            for (int i = 0; i < nPad; i += 4) {
                for (int j = 0; j < rowsPad; j += 4) tile(q, (q0 + i) * dim, t, (b0 + j) * dim, dim, scores, i * TRAIN_BLOCK + j);
            }
            for (int i = 0; i < n; i++) offer(scores, i * TRAIN_BLOCK, rows, b0, heapSim[i], heapIdx[i], heapSize, i, k);
        }
        for (int i = 0; i < n; i++) sortDescending(heapSim[i], heapIdx[i], k, sim, index, (q0 + i) * k);
    }

    /** Dot products of query rows a..a+3 with train rows b..b+3 into out[o + 4x4 tile] (row stride TRAIN_BLOCK). */
    private static void tile(float[] q, int a, float[] t, int b, int dim, float[] out, int o) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int a1 = a + dim, a2 = a1 + dim, a3 = a2 + dim, b1 = b + dim, b2 = b1 + dim, b3 = b2 + dim;
        for (int d = 0; d < dim; d++) {
            float x0 = q[a + d], x1 = q[a1 + d], x2 = q[a2 + d], x3 = q[a3 + d];
            float y0 = t[b + d], y1 = t[b1 + d], y2 = t[b2 + d], y3 = t[b3 + d];
            c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
            c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
            c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
            c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        int r1 = o + TRAIN_BLOCK, r2 = r1 + TRAIN_BLOCK, r3 = r2 + TRAIN_BLOCK;
        out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
        out[r1] = c10; out[r1 + 1] = c11; out[r1 + 2] = c12; out[r1 + 3] = c13;
        out[r2] = c20; out[r2 + 1] = c21; out[r2 + 2] = c22; out[r2 + 3] = c23;
        out[r3] = c30; out[r3 + 1] = c31; out[r3 + 2] = c32; out[r3 + 3] = c33;
    }

    private static void offer(float[] scores, int from, int rows, int firstRow, float[] hs, int[] hi, int[] sizes, int slot, int k) {
        int size = sizes[slot];
        for (int j = 0; j < rows; j++) {
            float s = scores[from + j];
            if (size < k) {
                hs[size] = s;
                hi[size] = firstRow + j;
                siftUp(hs, hi, size++);
            } else if (s > hs[0]) {
                hs[0] = s;
                hi[0] = firstRow + j;
                siftDown(hs, hi, k);
            }
        }
        sizes[slot] = size;
    }

    private static void siftUp(float[] hs, int[] hi, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (hs[p] <= hs[i]) return;
            swap(hs, hi, p, i);
            i = p;
        }
    }

    private static void siftDown(float[] hs, int[] hi, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) return;
            int m = l + 1 < size && hs[l + 1] < hs[l] ? l + 1 : l;
            if (hs[i] <= hs[m]) return;
            swap(hs, hi, i, m);
            i = m;
        }
    }

    private static void swap(float[] hs, int[] hi, int a, int b) {
        float t = hs[a];
        hs[a] = hs[b];
        hs[b] = t;
        int u = hi[a];
        hi[a] = hi[b];
        hi[b] = u;
    }

    /** Heap → ranks, most similar first; equal similarities by lower train row, so results are reproducible. */
    private static void sortDescending(float[] hs, int[] hi, int k, float[] sim, int[] index, int out) {
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> hs[a] != hs[b] ? Float.compare(hs[b], hs[a]) : Integer.compare(hi[a], hi[b]));
        for (int i = 0; i < k; i++) {
            sim[out + i] = hs[order[i]];
            index[out + i] = hi[order[i]];
        }
    }
}
