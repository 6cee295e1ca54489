package io.glimpse.train.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the reference PyTorch heads name their tensors versus Glimpse's heads, per probe. Every tensor has the same
 * layout in both (row-major, Linear weights [out, in], fused qkv / kv projections fused the same way, rows
 * [q; k; v] / [k; v]); only the names differ. Rules: a rename ending in '.' renames a module prefix, any other
 * renames one tensor; a name no rule covers is the same in both. Both sides' name sets must match exactly after
 * renaming, so a tensor only one implementation has fails the golden test.
 */
final class ReferenceNames {
    /** The probe wrapper (docs/heads.md#common-structure): the reference's classifier is the encoder's {@code head}. */
    private static final Map<String, String> WRAPPER = Map.of("head.", "classifier.");

    /** Per probe: reference name or prefix -> Glimpse name or prefix. Probes not listed only rename the wrapper. */
    private static final Map<String, Map<String, String>> RENAMES = Map.of(
            "abmilp", Map.of("pool.qkv.", "pool.sa.qkv.", "pool.proj.", "pool.sa.proj.",
                    "pool.w1.", "pool.score.fc1.", "pool.w2.", "pool.score.fc2."),
            "abmilp-none", Map.of("pool.w1.", "pool.score.fc1.", "pool.w2.", "pool.score.fc2."),
            "clip", Map.of("pool.pos", "pool.pos_embed"),
            "aim", Map.of("pool.query", "pool.cls_token", "pool.bn.", "pool.input_bn."),
            "cbam", Map.of("pool.fc1.", "pool.channel_mlp.fc1.", "pool.fc2.", "pool.channel_mlp.fc2.",
                    "pool.conv.", "pool.spatial_conv.", "pool.bn.", "pool.spatial_bn."),
            "coca", Map.of("pool.gamma", "pool.norm.weight"),
            "cait", Map.of("pool.cls", "pool.cls_token", "pool.gamma1", "pool.gamma_1", "pool.gamma2", "pool.gamma_2",
                    "pool.q.", "pool.attn.q.", "pool.k.", "pool.attn.k.", "pool.v.", "pool.attn.v.",
                    "pool.proj.", "pool.attn.proj."),
            "dinovit", Map.of("pool.qkv.", "pool.attn.qkv.", "pool.proj.", "pool.attn.proj."),
            "jepa", Map.of("pool.query", "pool.query_tokens"),
            "cae", Map.of("pool.query", "pool.query_token", "pool.norm_q.", "pool.norm1_q.", "pool.norm_k.", "pool.norm1_k.",
                    "pool.norm_v.", "pool.norm1_v.", "pool.q.", "pool.attn.q.", "pool.k.", "pool.attn.k.",
                    "pool.v.", "pool.attn.v.", "pool.proj.", "pool.attn.proj."));

    /**
     * Reference buffers that Glimpse holds as fixed constants rather than saved tensors, with the constant: CoCa's
     * gain-only LayerNorm keeps its zero shift as a buffer in the reference, a constant in Glimpse.
     */
    private static final Map<String, Map<String, Double>> CONSTANTS = Map.of("coca", Map.of("pool.beta", 0.0));

    private ReferenceNames() {
    }

    /** The Glimpse name of reference tensor {@code reference} of {@code probe}. */
    static String glimpseName(String probe, String reference) {
        Map<String, String> rules = new LinkedHashMap<>(WRAPPER);
        rules.putAll(RENAMES.getOrDefault(probe, Map.of()));
        String name = reference;
        int matches = 0;
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String from = rule.getKey();
            if (from.endsWith(".") ? reference.startsWith(from) : reference.equals(from)) {
                name = rule.getValue() + reference.substring(from.length());
                matches++;
            }
        }
        if (matches > 1) throw new IllegalStateException(probe + ": more than one rename matches " + reference);
        return name;
    }

    /** Reference buffers of {@code probe} that are constants in Glimpse, with their value. */
    static Map<String, Double> constants(String probe) {
        return CONSTANTS.getOrDefault(probe, Map.of());
    }

    /** Every probe the tables were written for (a new probe needs its table reviewed, not silently defaulted). */
    static Set<String> probes() {
        return Set.copyOf(List.of("linear", "linear-gap", "efficient", "efficient-all", "abmilp", "abmilp-none",
                "simpool", "esimpool", "clip", "siglip", "aim", "cbam", "coca", "cait", "dinovit", "jepa", "dolg", "cae"));
    }
}
