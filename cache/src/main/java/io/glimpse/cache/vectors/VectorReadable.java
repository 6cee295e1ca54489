package io.glimpse.cache.vectors;

import io.glimpse.cache.select.SelectableSource;

/**
 * A token source that can serve the same images as one stored vector per row ({@link VectorKind}) from the entry's
 * vector sidecar, building the sidecar first when it is missing or damaged.
 */
public interface VectorReadable {
    SelectableSource vectors(VectorKind kind, VectorBuildProgress progress);
}
