package io.glimpse.extract.backbone;

import io.glimpse.extract.ExtractInputException;

import java.util.Locale;

/** Where the backbone runs: {@code auto} = the GPU when ONNX Runtime's CUDA provider is usable, else the CPU. */
public enum DeviceChoice {
    AUTO, CPU, GPU;

    public static DeviceChoice parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtractInputException("--device '" + s + "' is not one of auto, cpu, gpu");
        }
    }
}
