package io.glimpse.extract.backbone;

import java.util.function.Consumer;

/**
 * How to run a backbone: ONNX Runtime intra-op threads (0 = one per core), the device, and where one-line
 * notices go (e.g. "no usable CUDA provider, running on CPU").
 */
public record BackboneOptions(int threads, DeviceChoice device, Consumer<String> notices) {
    public BackboneOptions {
        if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        if (notices == null) notices = s -> { };
    }

    public static BackboneOptions cpu() {
        return new BackboneOptions(0, DeviceChoice.CPU, null);
    }

    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
