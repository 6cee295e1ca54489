package io.glimpse.extract.pipeline;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * A batch of preprocessed rows ready for the backbone: plan rows {@code firstRow .. firstRow+planned-1}, of
 * which {@code count} succeeded and sit compacted at the front of {@code input} ({@code rows[i]} is the plan
 * row of slot i). {@code failures} holds, in row order, the plan rows whose image could not be read and why.
 */
public record PreparedBatch(int firstRow, int planned, FloatBuffer input, int[] rows, int count, List<Failure> failures) {
    /** A row whose image failed to decode. */
    public record Failure(int row, String reason) {
    }
}
