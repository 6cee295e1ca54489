package io.glimpse.extract.pipeline;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Where computed rows go, in plan order: an entry's writer ({@code EntryWriter::append}) on one machine, or one
 * shard file of a distributed task. Same contract as {@code EntryWriter.append}.
 */
@FunctionalInterface
public interface RowSink {
    void append(String[] ids, int[] labels, Map<String, FloatBuffer> tokensPerLayer, int n);

    /** The next rows belong to the next shard of the plan: close the current one even if bad images left it short. */
    default void endShard() {
    }
}
