package io.glimpse.eval.flops;

import java.util.Map;

/**
 * Independent eval-mode forwards of the linear probes, EP and the V-JEPA pooler, written from the equations of
 * docs/heads.md (sections common-structure, linear, efficient, jepa) in plain Java over the heads' own weights, with
 * every product counted by {@link MacCounter}. The pooling runs pool-first, as the heads compute
 * (docs/heads.md#pool-first): attention logits against token-space queries, the attention-weighted token sum, then
 * the value rows. Elementwise work (norms, softmax, GELU, residuals, means) is not a product and is not counted
 * (docs/heads.md#flops).
 */
final class ReferenceForwards {
    private static final double BN_EPS = 1e-6;
    private static final double LN_EPS = 1e-5;

    private final Map<String, float[]> w;
    private final int dim;
    private final int classes;
    private final MacCounter count;

    ReferenceForwards(Map<String, float[]> weights, int dim, int classes, MacCounter count) {
        this.w = weights;
        this.dim = dim;
        this.classes = classes;
        this.count = count;
    }

    /** BN1d (running statistics, no affine) then the classifier Linear(D', C). */
    double[] classify(double[] pooled) {
        double[] mean = d(w.get("bn.running_mean"));
        double[] var = d(w.get("bn.running_var"));
        double[] z = new double[pooled.length];
        for (int i = 0; i < z.length; i++) z[i] = (pooled[i] - mean[i]) / Math.sqrt(var[i] + BN_EPS);
        return count.matVec(w.get("classifier.weight"), 0, classes, pooled.length, z, w.get("classifier.bias"), 0);
    }

    /** linear: the CLS token; linear-gap: the mean of the patches. */
    double[] linear(double[][] tokens, int prefix, boolean gap) {
        if (!gap) return classify(tokens[0]);
        double[] mean = new double[dim];
        for (int n = prefix; n < tokens.length; n++) for (int i = 0; i < dim; i++) mean[i] += tokens[n][i] / (tokens.length - prefix);
        return classify(mean);
    }

    /** EP over the patch tokens: M queries U [M, D], values W_v [D', D], c = D'/M rows per query. */
    double[] efficient(double[][] patches, int queries) {
        float[] u = w.get("pool.queries");
        float[] wv = w.get("pool.v.weight");
        int outDim = wv.length / dim;
        int c = outDim / queries;
        double[] y = new double[outDim];
        for (int m = 0; m < queries; m++) {
            double[] a = softmax(logits(u, m * dim, patches, 1 / Math.sqrt(dim)));
            double[] pooled = count.weightedRows(a, patches);
            double[] ym = count.matVec(wv, m * c, c, dim, pooled, null, 0);
            System.arraycopy(ym, 0, y, m * c, c);
        }
        return classify(y);
    }

    /** V-JEPA attentive pooler, depth 1 (docs/heads.md#jepa), H heads of width c = D/H, pool-first per head. */
    double[] jepa(double[][] patches, int heads) {
        int c = dim / heads;
        double[][] xn = new double[patches.length][];
        for (int n = 0; n < patches.length; n++) xn[n] = layerNorm(patches[n], "pool.norm1");
        double[] query = d(w.get("pool.query_tokens"));
        float[] kv = w.get("pool.kv.weight");
        float[] kvBias = w.get("pool.kv.bias");
        // q = W_q query + b_q and the key folding u_h = W_k^(h)^T q_h involve parameters only: once per batch
        float[][] u = new float[heads][];
        count.parametersOnly(() -> {
            double[] q = count.matVec(w.get("pool.q.weight"), 0, dim, dim, query, w.get("pool.q.bias"), 0);
            for (int h = 0; h < heads; h++) {
                double[] qh = new double[c];
                System.arraycopy(q, h * c, qh, 0, c);
                // key rows of head h are rows [h*c, (h+1)*c) of the fused kv weight; the key bias cancels in softmax
                u[h] = toFloat(count.transposedMatVec(kv, h * c, c, dim, qh));
            }
        });
        double[] attended = new double[dim];
        for (int h = 0; h < heads; h++) {
            double[] a = softmax(logits(u[h], 0, xn, 1 / Math.sqrt(c)));
            double[] pooled = count.weightedRows(a, xn);
            // value rows of head h are rows [D + h*c, D + (h+1)*c) of the fused kv weight
            double[] vh = count.matVec(kv, dim + h * c, c, dim, pooled, kvBias, dim + h * c);
            System.arraycopy(vh, 0, attended, h * c, c);
        }
        double[] q1 = count.matVec(w.get("pool.proj.weight"), 0, dim, dim, attended, w.get("pool.proj.bias"), 0);
        for (int i = 0; i < dim; i++) q1[i] += query[i];
        double[] hidden = count.matVec(w.get("pool.mlp.fc1.weight"), 0, 4 * dim, dim, layerNorm(q1, "pool.norm2"),
                w.get("pool.mlp.fc1.bias"), 0);
        for (int i = 0; i < hidden.length; i++) hidden[i] = gelu(hidden[i]);
        double[] out = count.matVec(w.get("pool.mlp.fc2.weight"), 0, dim, 4 * dim, hidden, w.get("pool.mlp.fc2.bias"), 0);
        for (int i = 0; i < dim; i++) out[i] += q1[i];
        return classify(out);
    }

    /** logits_n = scale * u[row] . x_n for every token (N*D multiply-adds). */
    private double[] logits(float[] u, int offset, double[][] x, double scale) {
        double[] s = new double[x.length];
        for (int n = 0; n < x.length; n++) s[n] = scale * count.dot(u, offset, x[n]);
        return s;
    }

    private double[] layerNorm(double[] x, String name) {
        double mean = 0, var = 0;
        for (double v : x) mean += v / x.length;
        for (double v : x) var += (v - mean) * (v - mean) / x.length;
        float[] g = w.get(name + ".weight");
        float[] b = w.get(name + ".bias");
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + LN_EPS) * g[i] + b[i];
        return y;
    }

    static double[] softmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) max = Math.max(max, v);
        double sum = 0;
        double[] e = new double[s.length];
        for (int i = 0; i < s.length; i++) sum += e[i] = Math.exp(s[i] - max);
        for (int i = 0; i < s.length; i++) e[i] /= sum;
        return e;
    }

    /** Exact GELU x·Φ(x), Φ through erf (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
    static double gelu(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
        erf = x >= 0 ? erf : -erf;
        return 0.5 * x * (1 + erf);
    }

    private static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
