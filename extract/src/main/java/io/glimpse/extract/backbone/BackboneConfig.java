package io.glimpse.extract.backbone;

import io.glimpse.extract.image.Preprocessing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A frozen backbone as Glimpse runs it: the ONNX file, its image input, the token outputs under their layer
 * names, and the evaluation preprocessing. Token geometry ({@code prefixTokens}, grid) is checked against the
 * model's actual output when the session opens; -1 / 0 mean "infer from the model".
 *
 * @param name          display and cache-key name
 * @param onnxFile      the model
 * @param declaredSha256 sha256 a sidecar promised for the file (null = none); a mismatch is refused
 * @param inputName     the image input (null = the model's only input)
 * @param layers        layer name to ONNX output name, in preference order (empty = every [B,T,D] output)
 * @param defaultLayers layers extracted when none are asked for (empty = pick: see {@link OnnxBackbone})
 * @param prefixTokens  CLS/register tokens before the patches (-1 = infer)
 * @param gridH         patch grid rows (0 = infer)
 * @param gridW         patch grid columns (0 = infer)
 * @param patchSize     patch side in pixels (0 = unknown), used to infer the grid
 * @param preprocessing the evaluation transform
 * @param source        the file the config came from, for messages
 */
public record BackboneConfig(String name, Path onnxFile, String declaredSha256, String inputName, Map<String, String> layers,
                             List<String> defaultLayers, int prefixTokens, int gridH, int gridW, int patchSize,
                             Preprocessing preprocessing, Path source) {
    public BackboneConfig {
        layers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
        defaultLayers = List.copyOf(defaultLayers);
    }

    /** The ONNX output that holds layer {@code layer}. */
    public String outputOf(String layer) {
        return layers.getOrDefault(layer, layer);
    }
}
