package io.glimpse.train.probe.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A stride-1, bias-free 2-D convolution with "same" zero padding (PyTorch {@code Conv2d(padding=k//2, bias=False)}),
 * computed as im2col + one matmul: the k*k shifted windows of the zero-padded map, stacked, times the flattened
 * weight. Why not torch's conv2d: in PyTorch 2.7.1 on CPU (through DJL 0.36) its backward returns input gradients
 * that differ from run to run and are often NaN (cbam's 7x7 kernel on 4x4, 7x7 and 9x9 maps; also a 3x3 kernel on
 * 9x9), measured by PaddedConv2dTest against direct loops; pad, slice, stack and matmul are exact.
 */
public final class PaddedConv2d {
    private PaddedConv2d() {
    }

    /** x [B, Cin, H, W], weight [Cout, Cin, k, k] with odd k: [B, Cout, H, W]. */
    public static NDArray same(NDArray x, NDArray weight) {
        Shape s = x.getShape();
        long b = s.get(0), cin = s.get(1), h = s.get(2), w = s.get(3);
        long cout = weight.getShape().get(0), k = weight.getShape().get(2), p = k / 2;
        NDArray padded = x.pad(new Shape(p, p, p, p), 0);
        NDList windows = new NDList();
        for (long u = 0; u < k; u++) {
            for (long v = 0; v < k; v++) {
                windows.add(padded.get(new NDIndex(":, :, {}:{}, {}:{}", u, u + h, v, v + w)));
            }
        }
        // [B, Cin, k*k, H, W] -> [B, Cin*k*k, H*W], ordered as the weight's (cin, u, v)
        NDArray columns = NDArrays.stack(windows, 2).reshape(b, cin * k * k, h * w);
        return weight.reshape(cout, cin * k * k).matMul(columns).reshape(b, cout, h, w);
    }
}
