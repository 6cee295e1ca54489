package io.glimpse.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.TokenBatch;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** One batch converted once into tensors: tokens [B, T, D] per needed layer, and one-hot labels [B, C]. */
record BatchTensors(int size, Map<String, NDArray> tokens, NDArray oneHot) {

    /** Tensors of {@code batch} on its own or {@code staging}'s buffers: valid until the next batch is requested or staged. */
    static BatchTensors of(TokenBatch batch, Collection<String> layers, TokenLayout layout, int numClasses, NDManager manager,
                           StagingBuffers staging) {
        int b = batch.size();
        Shape shape = new Shape(b, layout.tokens(), layout.dim());
        Map<String, NDArray> tokens = new HashMap<>();
        for (String layer : layers) {
            // float16 as stored when the source has it: torch widens it (exactly) several times faster than Java
            ByteBuffer half = batch.halfTokenBytes(layer);
            if (half != null) {
                NDArray wide = manager.create(staging.reserve(layer, (long) half.remaining() * 2), shape, DataType.FLOAT32);
                NDArray narrow = manager.create(half, shape, DataType.FLOAT16);
                JniUtils.indexSet((PtNDArray) wide, (PtNDArray) narrow, new long[]{0}, new long[]{b}, new long[]{1});
                narrow.close();
                tokens.put(layer, wide);
                continue;
            }
            // the batch's own direct buffer when it has one (the cache's); a staged copy otherwise
            ByteBuffer own = batch.tokenBytes(layer);
            tokens.put(layer, manager.create(own != null ? own : staging.stage(layer, batch.tokens(layer)), shape, DataType.FLOAT32));
        }
        NDArray labels = manager.create(batch.labels());
        return new BatchTensors(b, tokens, labels.oneHot(numClasses));
    }
}
