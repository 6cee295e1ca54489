package io.glimpse.eval.knn;

import io.glimpse.cache.TokenLayout;
import io.glimpse.eval.EvalInputException;

import java.util.Locale;

/** Which vector of a token sequence k-NN compares: the same representation as LP (docs/heads.md#knn). */
public enum KnnFeature {
    /** The first prefix token (CLS), as LP-CLS reads it. */
    CLS,
    /** The mean of the patch tokens, as LP-GAP reads it. */
    MEAN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** CLS when the backbone has a prefix token, else the patch mean (docs/heads.md#knn). */
    public static KnnFeature defaultFor(TokenLayout layout) {
        return layout.prefixTokens() > 0 ? CLS : MEAN;
    }

    public static KnnFeature parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "cls" -> CLS;
            case "mean", "gap", "mean-patch" -> MEAN;
            default -> throw new EvalInputException("--feature '" + s + "' is not one of cls, mean");
        };
    }

    void check(TokenLayout layout) {
        if (this == CLS && layout.prefixTokens() == 0) {
            throw new EvalInputException("--feature cls: the cached tokens have no prefix (CLS) token; use --feature mean");
        }
        if (this == MEAN && layout.patches() == 0) throw new EvalInputException("--feature mean: the cache holds no patch tokens");
    }
}
