package io.glimpse.extract.online;

import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.extract.ExtractInputException;

import java.nio.FloatBuffer;
import java.util.Map;

/** A batch fresh from the backbone; its token buffers are reused by the next batch of the same epoch. */
record OnlineBatch(int size, int[] labels, String[] ids, Map<String, FloatBuffer> buffers, int rowValues) implements TokenBatch {
    @Override
    public FloatBuffer tokens(String layer) {
        FloatBuffer b = buffers.get(layer);
        if (b == null) throw new ExtractInputException("layer '" + layer + "' is not computed by this online source (it has " + String.join(", ", buffers.keySet()) + ")");
        return b.duplicate().position(0).limit(size * rowValues).slice();
    }
}
