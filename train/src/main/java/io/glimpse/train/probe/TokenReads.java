package io.glimpse.train.probe;

import io.glimpse.cache.vectors.VectorKind;

import java.util.Optional;

/** What a probe reads of each cached token sequence: one stored vector, or the tokens themselves. */
public enum TokenReads {
    /** Only token 0 (the CLS token). */
    CLS,
    /** Only the mean of the patch tokens. */
    PATCH_MEAN,
    /** The token sequence (several tokens, or anything but their plain mean). */
    TOKENS;

    /** The stored vector that serves this probe in full, if one does. */
    public Optional<VectorKind> vector() {
        return switch (this) {
            case CLS -> Optional.of(VectorKind.CLS);
            case PATCH_MEAN -> Optional.of(VectorKind.PATCH_MEAN);
            case TOKENS -> Optional.empty();
        };
    }
}
