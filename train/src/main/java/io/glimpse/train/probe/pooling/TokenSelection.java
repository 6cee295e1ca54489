package io.glimpse.train.probe.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.glimpse.cache.TokenLayout;

/** Which tokens of a cached sequence [B, T, D] a pooling reads (docs/heads.md#token-selection). */
public enum TokenSelection {
    /** Token 0 (CLS): [B, 1, D]. */
    CLS,
    /** The patch tokens after the prefix: [B, N, D]. */
    PATCHES,
    /** Prefix (CLS, registers) followed by the patches: [B, T, D]. */
    ALL;

    public NDArray select(NDArray tokens, TokenLayout layout) {
        return switch (this) {
            case CLS -> tokens.get(new NDIndex(":, 0:1, :"));
            case PATCHES -> layout.prefixTokens() == 0 ? tokens : tokens.get(new NDIndex(":, {}:, :", layout.prefixTokens()));
            case ALL -> tokens;
        };
    }

    public int count(TokenLayout layout) {
        return switch (this) {
            case CLS -> 1;
            case PATCHES -> layout.patches();
            case ALL -> layout.tokens();
        };
    }
}
