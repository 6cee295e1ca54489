package io.glimpse.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's limits as the trainer's engine sees them: float32 matmul rate at the shapes the heads multiply (token
 * projections, the MLP of a ViT block, EP-style pooling products, the classifier) and memory bandwidth (an in-place
 * scale of a tensor far larger than the caches: one read and one write per element). Best of a few timed repeats.
 */
final class EngineLimits {
    private EngineLimits() {
    }

    record MatmulShape(String name, int batch, int m, int k, int n) {
        double flops() {
            return 2.0 * batch * m * k * n;
        }
    }

    /** {@code rows} token rows (B*N) at dim {@code d}: the head's shapes at a batch of rows / N. */
    static List<MatmulShape> shapes(int rows, int tokens, int d, int classes, int batch) {
        return List.of(
                new MatmulShape("tokens x DxD (projection)", 1, rows, d, d),
                new MatmulShape("tokens x Dx4D (ViT MLP fc1)", 1, rows, d, 4 * d),
                new MatmulShape("batched [32xN] x [NxD] (EP pooling)", batch, 32, tokens, d),
                new MatmulShape("batch x DxC (classifier)", 1, batch, d, classes));
    }

    static Map<String, Object> measure(List<MatmulShape> shapes, List<Integer> threads, long bandwidthBytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> mm = new ArrayList<>();
        Map<Integer, Double> best = new LinkedHashMap<>();
        Map<Integer, Double> bandwidth = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int t : threads) {
                JniUtils.setNumThreads(t);
                for (MatmulShape s : shapes) {
                    double rate = matmulRate(m, s);
                    best.merge(t, rate, Math::max);
                    mm.add(Map.of("shape", s.name(), "dims", s.batch() + "x[" + s.m() + "x" + s.k() + "]x[" + s.k() + "x" + s.n() + "]",
                            "threads", t, "gflops", round(rate / 1e9)));
                    System.out.printf("limits: %d thread(s) %-36s %7.1f GFLOP/s%n", t, s.name(), rate / 1e9);
                }
                bandwidth.put(t, bandwidth(m, bandwidthBytes));
                System.out.printf("limits: %d thread(s) bandwidth (in-place scale, read+write) %.1f GB/s%n", t, bandwidth.get(t) / 1e9);
            }
        }
        out.put("matmul", mm);
        Map<String, Object> rate = new LinkedHashMap<>();
        best.forEach((t, r) -> rate.put(String.valueOf(t), round(r / 1e9)));
        out.put("matmul_gflops_best", rate);
        Map<String, Object> bw = new LinkedHashMap<>();
        bandwidth.forEach((t, r) -> bw.put(String.valueOf(t), round(r / 1e9)));
        out.put("bandwidth_gb_per_s", bw);
        out.put("bytes_bandwidth_tensor", bandwidthBytes);
        out.put("_best", best);
        out.put("_bandwidth", bandwidth);
        return out;
    }

    private static double matmulRate(NDManager parent, MatmulShape s) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomNormal(s.batch() == 1 ? new Shape(s.m(), s.k()) : new Shape(s.batch(), s.m(), s.k()));
            NDArray b = m.randomNormal(s.batch() == 1 ? new Shape(s.k(), s.n()) : new Shape(s.batch(), s.k(), s.n()));
            a.matMul(b).close();
            double best = 0;
            for (int rep = 0; rep < 3; rep++) {
                int iters = 0;
                long t0 = System.nanoTime();
                long el;
                do {
                    try (NDArray c = a.matMul(b)) {
                        c.getShape();
                    }
                    iters++;
                    el = System.nanoTime() - t0;
                } while (el < 300_000_000L);
                best = Math.max(best, s.flops() * iters / (el / 1e9));
            }
            return best;
        }
    }

    /** Bytes moved per second by an in-place scale (read + write) of a {@code bytes} float32 tensor. */
    private static double bandwidth(NDManager parent, long bytes) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.ones(new Shape(bytes / 4));
            a.muli(1.0f);
            double best = 0;
            for (int rep = 0; rep < 5; rep++) {
                long t0 = System.nanoTime();
                a.muli(1.0f);
                best = Math.max(best, 2.0 * bytes / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        }
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
