package io.glimpse.cache.vectors;

import io.glimpse.cache.TokenLayout;

/**
 * One vector per row and layer that a pass can read instead of the whole [T, D] sequence. Served as a one-token
 * sequence [B, 1, D] whose layout makes the heads' own token selection a no-op: {@link #CLS} keeps one prefix token
 * (token 0 is the CLS), {@link #PATCH_MEAN} has no prefix and one "patch" (its mean over one token is itself).
 */
public enum VectorKind {
    /** Token 0: the CLS token when the layout has a prefix. */
    CLS("cls"),
    /** The mean of the patch tokens (those after the prefix). */
    PATCH_MEAN("mean");

    private final String column;

    VectorKind(String column) {
        this.column = column;
    }

    /** Column name of this vector for a layer, following the shards' token columns: {@code cls}, {@code cls.<layer>}. */
    public String column(int layerIndex, String layer) {
        return layerIndex == 0 ? column : column + "." + layer;
    }

    /** The layout of the [B, 1, D] batches this kind is served as. */
    public TokenLayout layout(TokenLayout full) {
        return new TokenLayout(1, full.dim(), this == CLS ? 1 : 0, 0, 0);
    }

    public String label() {
        return this == CLS ? "CLS" : "patch mean";
    }
}
