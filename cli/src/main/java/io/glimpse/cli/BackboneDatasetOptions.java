package io.glimpse.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --backbone} and {@code --dataset} options of the commands that name what tokens come from (a picocli
 * mixin), so that every command has the same defaults and the same meaning for them.
 */
public final class BackboneDatasetOptions {
    @Option(names = "--backbone", defaultValue = "conf/backbones/fmnist-mae-vit.yaml", paramLabel = "YAML|ONNX",
            description = "Backbone config, or an .onnx file with a sidecar JSON / preprocessor_config.json beside it (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--dataset", defaultValue = "conf/datasets/fashion-mnist.yaml", paramLabel = "YAML",
            description = "Dataset config (default: ${DEFAULT-VALUE}).")
    String dataset;

    public String backbone() {
        return backbone;
    }

    public String dataset() {
        return dataset;
    }
}
