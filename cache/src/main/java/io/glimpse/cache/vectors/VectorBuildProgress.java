package io.glimpse.cache.vectors;

/** Hears about a sidecar being (re)built: why, how many rows, and rows done so far (from the building thread). */
public interface VectorBuildProgress {
    VectorBuildProgress SILENT = new VectorBuildProgress() {
    };

    /** Building starts; {@code reason} is one line ("missing", or what was wrong with the old one). */
    default void start(String entry, long rows, String reason) {
    }

    default void rowsDone(long rows) {
    }

    default void end() {
    }
}
