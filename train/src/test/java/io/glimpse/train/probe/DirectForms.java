package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.glimpse.train.probe.nn.MultiHeadAttention;

import java.util.Map;

/**
 * The study's poolings written the direct way (every token's keys and values formed, every query row kept), from a
 * head's own tensors; the pool-first implementations must compute the same function (docs/heads.md#pool-first).
 * Eval mode: BatchNorms use the head's running statistics.
 */
final class DirectForms {
    private final Map<String, NDArray> tensors;
    private final int heads;
    private final long dim;

    DirectForms(ProbeHead head) {
        this.tensors = new java.util.HashMap<>(head.parameters());
        this.tensors.putAll(head.buffers());
        Object h = head.optionsUsed().get("heads");
        this.heads = h == null ? 1 : (Integer) h;
        this.dim = tensors.get("classifier.weight").getShape().get(1);
    }

    NDArray pooled(String probe, NDArray x) {
        return switch (probe) {
            case "simpool" -> simpool(x);
            case "esimpool" -> esimpool(x);
            case "clip" -> clip(x);
            case "siglip" -> siglip(x);
            case "aim" -> aim(x);
            case "coca" -> coca(x);
            case "cait" -> cait(x);
            case "jepa" -> jepa(x);
            case "cae" -> cae(x);
            case "abmilp" -> abmilp(x, true);
            case "abmilp-none" -> abmilp(x, false);
            default -> throw new IllegalArgumentException(probe);
        };
    }

    private NDArray t(String name) {
        NDArray a = tensors.get("pool." + name);
        if (a == null) throw new IllegalArgumentException("no tensor pool." + name);
        return a;
    }

    private NDArray linear(NDArray x, String layer) {
        NDArray y = x.matMul(t(layer + ".weight").transpose());
        NDArray bias = tensors.get("pool." + layer + ".bias");
        return bias == null ? y : y.add(bias);
    }

    private NDArray ln(NDArray x, String layer, double eps) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        NDArray var = centred.square().mean(new int[] {-1}, true);
        NDArray y = centred.div(var.add(eps).sqrt()).mul(t(layer + ".weight"));
        NDArray bias = tensors.get("pool." + layer + ".bias");
        return bias == null ? y : y.add(bias);
    }

    private NDArray mlp(NDArray x) {
        return linear(Activation.gelu(linear(x, "mlp.fc1")), "mlp.fc2");
    }

    private NDArray attend(NDArray q, NDArray k, NDArray v, int h) {
        return MultiHeadAttention.attend(q, k, v, h, 1 / Math.sqrt((double) q.getShape().get(2) / h));
    }

    private static NDArray part(NDArray x, long from, long to) {
        return x.get(new NDIndex(":, :, {}:{}", from, to));
    }

    /** A [1, 1, D] or [D] learned token repeated for the batch: [B, 1, D]. */
    private NDArray perSample(NDArray token, NDArray x) {
        return token.reshape(1, 1, dim).broadcast(x.getShape().get(0), 1, dim);
    }

    /** Z = Proj(SelfAttn(X)) formed token by token (sa=both) or Z = X; a = softmax_n(w2^T tanh(W1 z_n + b1) + b2). */
    private NDArray abmilp(NDArray x, boolean selfAttention) {
        NDArray z = x;
        if (selfAttention) {
            NDArray qkv = linear(x, "sa.qkv");
            z = linear(attend(part(qkv, 0, dim), part(qkv, dim, 2 * dim), part(qkv, 2 * dim, 3 * dim), 1), "sa.proj");
        }
        NDArray a = linear(Activation.tanh(linear(z, "score.fc1")), "score.fc2").softmax(1);     // [B, N, 1]
        return a.mul(z).sum(new int[] {1});
    }

    private NDArray simpool(NDArray x) {
        NDArray xn = ln(x, "norm", 1e-6);
        NDArray q = linear(x.mean(new int[] {1}, true), "wq");
        return attend(q, linear(xn, "wk"), xn, 1).squeeze(1);
    }

    private NDArray esimpool(NDArray x) {
        return attend(ln(x.mean(new int[] {1}, true), "norm", 1e-6), ln(x, "norm", 1e-6), x, heads).squeeze(1);
    }

    private NDArray clip(NDArray x) {
        NDArray xn = ln(x, "norm", 1e-6);
        NDArray u = xn.mean(new int[] {1}, true).concat(xn, 1).add(t("pos_embed"));
        NDArray qkv = linear(u, "qkv");
        NDArray all = attend(part(qkv, 0, dim), part(qkv, dim, 2 * dim), part(qkv, 2 * dim, 3 * dim), heads);
        return linear(all, "proj").get(new NDIndex(":, 0, :"));
    }

    private NDArray siglip(NDArray x) {
        NDArray q = linear(perSample(t("latent"), x), "q");
        NDArray kv = linear(x, "kv");
        NDArray h = linear(attend(q, part(kv, 0, dim), part(kv, dim, 2 * dim), heads), "proj");
        return h.add(mlp(h)).squeeze(1);
    }

    private NDArray aim(NDArray x) {
        NDArray xt = x.sub(t("input_bn.running_mean")).div(t("input_bn.running_var").add(1e-6).sqrt());
        return attend(perSample(t("cls_token"), x), linear(xt, "k"), linear(xt, "v"), heads).squeeze(1);
    }

    /** All 196 queries attend (8 heads against one shared K/V head); only row 0 is returned. */
    private NDArray coca(NDArray x) {
        NDArray queries = linear(ln(t("queries"), "norm", 1e-5), "to_q");
        NDArray q = queries.reshape(1, queries.getShape().get(0), 512).broadcast(x.getShape().get(0), queries.getShape().get(0), 512);
        NDArray kv = linear(x, "to_kv");
        NDArray k = part(kv, 0, 64), v = part(kv, 64, 128);
        NDArray k8 = k, v8 = v;
        for (int h = 1; h < 8; h++) {
            k8 = k8.concat(k, 2);
            v8 = v8.concat(v, 2);
        }
        return linear(attend(q, k8, v8, 8), "to_out").get(new NDIndex(":, 0, :"));
    }

    private NDArray cait(NDArray x) {
        NDArray cls = perSample(t("cls_token"), x);
        NDArray u = ln(cls.concat(x, 1), "norm1", 1e-6);
        NDArray q = linear(u.get(new NDIndex(":, 0:1, :")), "attn.q");
        NDArray c1 = cls.add(linear(attend(q, linear(u, "attn.k"), linear(u, "attn.v"), heads), "attn.proj").mul(t("gamma_1")));
        NDArray c2 = c1.add(mlp(ln(c1, "norm2", 1e-6)).mul(t("gamma_2")));
        return ln(c2, "norm", 1e-5).squeeze(1);
    }

    private NDArray jepa(NDArray x) {
        NDArray query = perSample(t("query_tokens"), x);
        NDArray xn = ln(x, "norm1", 1e-5);
        NDArray kv = linear(xn, "kv");
        NDArray q1 = query.add(linear(attend(linear(query, "q"), part(kv, 0, dim), part(kv, dim, 2 * dim), heads), "proj"));
        return q1.add(mlp(ln(q1, "norm2", 1e-5))).squeeze(1);
    }

    private NDArray cae(NDArray x) {
        NDArray q = linear(ln(perSample(t("query_token"), x), "norm1_q", 1e-5), "attn.q");
        NDArray k = linear(ln(x, "norm1_k", 1e-5), "attn.k");
        NDArray v = linear(ln(x, "norm1_v", 1e-5), "attn.v");
        return linear(attend(q, k, v, heads), "attn.proj").squeeze(1);
    }
}
