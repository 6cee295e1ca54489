package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;

/**
 * LN(x) = x̂ γ + β kept as its parts. x̂, the tokens normalised without gain or shift, depends on the frozen tokens
 * alone, so nothing flows back into it; attention folds γ and β into its small operands (the token-space queries,
 * the value projection) instead of forming LN(x) and its backward over [B, N, D] (docs/heads.md#pool-first).
 */
public record NormedTokens(NDArray normalized, float eps, NDArray gain, NDArray shift) {

    public static NormedTokens of(LayerNormLayer norm, NDArray x) {
        return new NormedTokens(norm.normalize(x), norm.eps(), norm.gain(), norm.shift());
    }

    /** The same tokens under another LayerNorm of the same epsilon (x̂ does not depend on gain or shift). */
    public NormedTokens under(LayerNormLayer other) {
        if (other.eps() != eps) throw new IllegalArgumentException("LayerNorm eps " + other.eps() + " differs from " + eps);
        return new NormedTokens(normalized, eps, other.gain(), other.shift());
    }
}
