package io.glimpse.eval.result;

/**
 * Complementarity of a head's attention maps over an evaluated split (SPEC.md section 0, Glimpse's own
 * definitions): mean pairwise cosine similarity of the M maps of an image, the mean over maps of the most
 * similar other map, and the mean Shannon entropy (nats) of one query's map; each averaged over images.
 * {@code maxEntropy} = ln N, the entropy of a uniform map, so the entropy can be read on its own scale.
 * Similarities are NaN for single-query heads (no pairs).
 */
public record Complementarity(double avgSimilarity, double maxSimilarity, double meanEntropy, double maxEntropy,
                              int queries, int tokens, int images, String split) {
}
