package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;

/**
 * Output rows [from, to) of a (possibly fused) linear layer: the q, k or v part of a fused qkv/kv projection, or
 * a whole layer. The slice is taken at each call (inside the caller's forward), so autograd sees it every step.
 */
public record RowSlice(LinearLayer layer, int from, int to) {

    public static RowSlice whole(LinearLayer layer) {
        return new RowSlice(layer, 0, layer.out());
    }

    public NDArray weight() {
        return whole() ? layer.weight() : layer.weight().get(new NDIndex("{}:{}", from, to));
    }

    /** The bias rows, or null when the layer has no bias. */
    public NDArray bias() {
        if (layer.bias() == null) return null;
        return whole() ? layer.bias() : layer.bias().get(new NDIndex("{}:{}", from, to));
    }

    public NDArray forward(NDArray x) {
        return whole() ? layer.forward(x) : Linear.linear(x, weight(), bias()).singletonOrThrow();
    }

    public int width() {
        return to - from;
    }

    private boolean whole() {
        return from == 0 && to == layer.out();
    }
}
