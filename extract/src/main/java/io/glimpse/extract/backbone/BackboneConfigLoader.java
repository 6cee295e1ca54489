package io.glimpse.extract.backbone;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.ConfigMap;
import io.glimpse.extract.image.CropRounding;
import io.glimpse.extract.image.Preprocessing;
import io.glimpse.extract.image.ResizeFilter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a backbone from {@code conf/backbones/NAME.yaml}, or from an {@code .onnx} file with a sidecar beside
 * it: {@code NAME.json} in the fixture's format, or a Hugging Face {@code preprocessor_config.json} (what an
 * Optimum export writes next to {@code model.onnx}). Values merge in that order, the YAML last, so a user
 * writes only what the exported files do not already say.
 */
public final class BackboneConfigLoader {
    private static final Set<String> YAML_KEYS = Set.of("name", "onnx", "sidecar", "preprocessor_config", "input", "layers",
            "default_layers", "prefix_tokens", "grid", "patch_size", "preprocess");
    private static final Set<String> PREPROCESS_KEYS = Set.of("channels", "resize", "crop", "filter", "crop_rounding", "mean", "std");

    private BackboneConfigLoader() {
    }

    /** A .yaml/.yml config, or an .onnx file with a sidecar JSON; a bare name means conf/backbones/NAME.yaml. */
    public static BackboneConfig load(String arg) {
        Path p = Path.of(arg);
        if (!Files.exists(p) && !arg.contains("/") && !arg.contains(".")) p = Path.of("conf", "backbones", arg + ".yaml");
        if (!Files.isRegularFile(p)) throw new ExtractInputException("--backbone " + arg + ": file not found");
        String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) return fromOnnx(p);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return fromYaml(p);
        throw new ExtractInputException("--backbone " + arg + ": expected a .yaml config or an .onnx model");
    }

    /** Mutable collection of what the sources say; fields stay null until some source sets them. */
    private static final class Draft {
        String name, sha256, input;
        Map<String, String> layers = new LinkedHashMap<>();
        List<String> defaultLayers = new ArrayList<>();
        Integer prefixTokens, gridH, gridW, patchSize;
        Integer channels, resizeShorter, resizeH, resizeW, cropH, cropW;
        ResizeFilter filter;
        CropRounding rounding;
        double[] mean, std;
    }

    static BackboneConfig fromOnnx(Path onnx) {
        String base = onnx.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        Path sidecar = onnx.resolveSibling(base + ".json");
        Path hf = onnx.resolveSibling("preprocessor_config.json");
        Draft d = new Draft();
        d.name = base;
        boolean any = false;
        if (Files.isRegularFile(sidecar)) {
            applySidecar(d, ConfigMap.read(sidecar));
            any = true;
        }
        if (Files.isRegularFile(hf)) {
            applyHuggingFace(d, ConfigMap.read(hf));
            any = true;
        }
        if (!any) {
            throw new ExtractInputException("--backbone " + onnx + ": no sidecar " + sidecar.getFileName() + " or preprocessor_config.json beside it; "
                    + "write a conf/backbones/*.yaml for this model instead");
        }
        return finish(d, onnx, onnx);
    }

    static BackboneConfig fromYaml(Path yaml) {
        ConfigMap c = ConfigMap.read(yaml);
        c.rejectUnknown(YAML_KEYS);
        Draft d = new Draft();
        d.name = yaml.getFileName().toString().replaceFirst("(?i)\\.ya?ml$", "");
        Path onnx = ConfigMap.resolve(yaml, c.requiredString("onnx"));
        if (c.has("sidecar")) applySidecar(d, ConfigMap.read(ConfigMap.resolve(yaml, c.string("sidecar", null))));
        if (c.has("preprocessor_config")) applyHuggingFace(d, ConfigMap.read(ConfigMap.resolve(yaml, c.string("preprocessor_config", null))));
        d.name = c.string("name", d.name);
        d.input = c.string("input", d.input);
        if (c.raw("layers") instanceof Map) {
            d.layers = c.stringMap("layers");
            d.defaultLayers = new ArrayList<>(); // a sidecar's default names an output, not one of these aliases
        } else if (c.has("layers")) {
            d.layers = new LinkedHashMap<>();
            for (String s : c.strings("layers")) d.layers.put(s, s);
        }
        if (c.has("default_layers")) d.defaultLayers = c.strings("default_layers");
        if (c.has("prefix_tokens")) d.prefixTokens = c.integer("prefix_tokens", 0);
        if (c.has("patch_size")) d.patchSize = c.integer("patch_size", 0);
        if (c.has("grid")) {
            int[] g = pair(c, "grid");
            d.gridH = g[0];
            d.gridW = g[1];
        }
        ConfigMap p = c.section("preprocess");
        p.rejectUnknown(PREPROCESS_KEYS);
        if (p.has("channels")) d.channels = p.integer("channels", 3);
        if (p.has("resize")) {
            if (p.raw("resize") instanceof List) {
                int[] hw = pair(p, "resize");
                d.resizeH = hw[0];
                d.resizeW = hw[1];
                d.resizeShorter = 0;
            } else {
                d.resizeShorter = p.integer("resize", 0);
                d.resizeH = d.resizeW = 0;
            }
        }
        if (p.has("crop")) {
            int[] hw = pair(p, "crop");
            d.cropH = hw[0];
            d.cropW = hw[1];
        }
        if (p.has("filter")) d.filter = ResizeFilter.parse(p.raw("filter"), p.where() + " filter");
        if (p.has("crop_rounding")) d.rounding = parseRounding(p);
        if (p.has("mean")) d.mean = p.numbers("mean");
        if (p.has("std")) d.std = p.numbers("std");
        return finish(d, onnx, yaml);
    }

    /** The fixture's sidecar format (see conf/backbones/fmnist-mae-vit.json). */
    private static void applySidecar(Draft d, ConfigMap s) {
        d.name = s.string("name", d.name);
        d.sha256 = s.string("sha256", d.sha256);
        if (s.has("channels")) d.channels = s.integer("channels", 3);
        if (s.has("image_size")) {
            // torchvision's eval transform at the model's size: an image already that size passes unchanged
            int size = s.integer("image_size", 0);
            d.resizeShorter = size;
            d.cropH = d.cropW = size;
        }
        if (s.has("resample")) d.filter = ResizeFilter.parse(s.raw("resample"), s.where() + " resample");
        if (s.has("mean")) d.mean = s.numbers("mean");
        if (s.has("std")) d.std = s.numbers("std");
        if (s.has("num_prefix_tokens")) d.prefixTokens = s.integer("num_prefix_tokens", 0);
        if (s.has("patch_size")) d.patchSize = s.integer("patch_size", 0);
        if (s.has("grid")) {
            int[] g = pair(s, "grid");
            d.gridH = g[0];
            d.gridW = g[1];
        }
        if (s.has("input")) d.input = s.section("input").string("name", d.input);
        if (s.has("default_layers")) {
            d.defaultLayers = s.strings("default_layers");
        } else if (s.raw("outputs") instanceof List<?> outputs) {
            // the sidecar lists the token outputs, so the default layer is known without opening the model
            // (a cache hit then never loads it); OnnxBackbone checks the choice against the model when it opens
            List<String> tokenOutputs = new ArrayList<>();
            for (Object o : outputs) {
                if (o instanceof Map<?, ?> m && m.get("name") != null && m.get("shape") instanceof List<?> shape && shape.size() == 3) {
                    tokenOutputs.add(m.get("name").toString());
                }
            }
            if (!tokenOutputs.isEmpty()) d.defaultLayers = List.of(DefaultLayer.pick(tokenOutputs));
        }
    }

    /** Hugging Face image processor config: image_mean/std, size, crop_size, resample, do_center_crop. */
    private static void applyHuggingFace(Draft d, ConfigMap h) {
        if (h.has("image_mean")) d.mean = h.numbers("image_mean");
        if (h.has("image_std")) d.std = h.numbers("image_std");
        if (!h.bool("do_normalize", true) && d.mean != null) {
            d.mean = new double[d.mean.length];
            d.std = new double[d.mean.length];
            java.util.Arrays.fill(d.std, 1.0);
        }
        if (h.has("resample")) d.filter = ResizeFilter.parse(h.raw("resample"), h.where() + " resample");
        if (h.bool("do_resize", true) && h.has("size")) {
            Object size = h.raw("size");
            if (size instanceof Map) {
                ConfigMap s = h.section("size");
                if (s.has("shortest_edge")) {
                    d.resizeShorter = s.integer("shortest_edge", 0);
                    d.resizeH = d.resizeW = 0;
                } else {
                    d.resizeH = s.integer("height", 0);
                    d.resizeW = s.integer("width", 0);
                    d.resizeShorter = 0;
                }
            } else {
                d.resizeShorter = h.integer("size", 0);
            }
        }
        if (h.bool("do_center_crop", h.has("crop_size")) && h.has("crop_size")) {
            Object crop = h.raw("crop_size");
            if (crop instanceof Map) {
                ConfigMap s = h.section("crop_size");
                d.cropH = s.integer("height", 0);
                d.cropW = s.integer("width", 0);
            } else {
                d.cropH = d.cropW = h.integer("crop_size", 0);
            }
            d.rounding = CropRounding.FLOOR; // transformers' center_crop floors the offset
        }
        if (d.mean != null && d.channels == null) d.channels = d.mean.length;
    }

    private static CropRounding parseRounding(ConfigMap p) {
        String s = p.string("crop_rounding", "half_even").toLowerCase(Locale.ROOT);
        if (s.equals("half_even") || s.equals("torchvision")) return CropRounding.HALF_EVEN;
        if (s.equals("floor") || s.equals("huggingface")) return CropRounding.FLOOR;
        throw new ExtractInputException(p.where() + ": 'crop_rounding' must be half_even (torchvision) or floor (huggingface), got '" + s + "'");
    }

    /** An int (square) or [h, w]. */
    private static int[] pair(ConfigMap c, String key) {
        double[] v = c.numbers(key);
        if (v.length == 1) return new int[] {(int) v[0], (int) v[0]};
        if (v.length == 2) return new int[] {(int) v[0], (int) v[1]};
        throw new ExtractInputException(c.where() + ": '" + key + "' must be one integer or [h, w], got " + v.length + " values");
    }

    private static BackboneConfig finish(Draft d, Path onnx, Path source) {
        if (!Files.isRegularFile(onnx)) throw new ExtractInputException(source + ": ONNX file " + onnx + " not found");
        int channels = d.channels != null ? d.channels : d.mean != null ? d.mean.length : 3;
        if (d.mean == null || d.std == null) throw new ExtractInputException(source + ": preprocessing mean/std not given (preprocess.mean / preprocess.std)");
        int cropH = d.cropH == null ? 0 : d.cropH, cropW = d.cropW == null ? 0 : d.cropW;
        int resizeH = d.resizeH == null ? 0 : d.resizeH, resizeW = d.resizeW == null ? 0 : d.resizeW;
        Preprocessing pre;
        try {
            pre = new Preprocessing(channels, d.resizeShorter == null ? 0 : d.resizeShorter, resizeH, resizeW, cropH, cropW,
                    d.filter == null ? ResizeFilter.BICUBIC : d.filter, d.rounding == null ? CropRounding.HALF_EVEN : d.rounding, d.mean, d.std);
        } catch (IllegalArgumentException e) {
            throw new ExtractInputException(source + ": " + e.getMessage());
        }
        return new BackboneConfig(d.name, onnx.toAbsolutePath().normalize(), d.sha256, d.input, d.layers, d.defaultLayers,
                d.prefixTokens == null ? -1 : d.prefixTokens, d.gridH == null ? 0 : d.gridH, d.gridW == null ? 0 : d.gridW,
                d.patchSize == null ? 0 : d.patchSize, pre, source);
    }
}
