package io.glimpse.extract.backbone;

import io.glimpse.cache.TokenLayout;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.RepoFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxBackboneTest {
    private static Path yaml() {
        return RepoFiles.root().resolve("conf/backbones/fmnist-mae-vit.yaml");
    }

    @Test
    void yamlAndOnnxWithSidecarDescribeTheSameModel() {
        BackboneConfig fromYaml = BackboneConfigLoader.load(yaml().toString());
        BackboneConfig fromOnnx = BackboneConfigLoader.load(RepoFiles.backboneOnnx().toString());
        assertEquals(fromYaml.preprocessing(), fromOnnx.preprocessing());
        assertEquals(1, fromYaml.preprocessing().channels());
        assertEquals(28, fromYaml.preprocessing().outputHeight());
        assertEquals(List.of("hidden_state_4"), fromOnnx.defaultLayers(), "known from the sidecar's outputs, without opening the model");
        try (OnnxBackbone a = OnnxBackbone.open(fromYaml, null, BackboneOptions.cpu());
             OnnxBackbone b = OnnxBackbone.open(fromOnnx, null, BackboneOptions.cpu())) {
            assertEquals(List.of("hidden_state_4"), a.layers());
            assertEquals(a.layers(), b.layers(), "the .onnx path picks the same default layer");
            assertEquals(new TokenLayout(50, 128, 1, 7, 7), a.layout());
            assertEquals(a.layout(), b.layout());
            assertEquals(a.sha256(), b.sha256());
        }
    }

    @Test
    void runMatchesGoldenTokensDirectly() throws Exception {
        byte[] u8 = RepoFiles.bytes("fmnist-mae-vit.golden16.input_u8.bin");
        float[] golden = RepoFiles.floats("fmnist-mae-vit.golden16.last_hidden_state.bin");
        BackboneConfig cfg = BackboneConfigLoader.load(yaml().toString());
        try (OnnxBackbone bb = OnnxBackbone.open(cfg, List.of("last_hidden_state"), new BackboneOptions(2, DeviceChoice.CPU, null))) {
            FloatBuffer in = OnnxBackbone.directFloats(u8.length);
            float mean = (float) cfg.preprocessing().mean()[0], std = (float) cfg.preprocessing().std()[0];
            for (int i = 0; i < u8.length; i++) in.put(i, ((float) (u8[i] & 0xFF) / 255f - mean) / std);
            FloatBuffer out = OnnxBackbone.directFloats(golden.length);
            bb.run(in, 16, Map.of("last_hidden_state", out));
            double max = 0;
            for (int i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(out.get(i) - golden[i]));
            assertTrue(max <= 1e-4, "max abs diff " + max);
        }
    }

    @Test
    void unknownLayerListsTheAllowedOnes() {
        BackboneConfig cfg = BackboneConfigLoader.load(yaml().toString());
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> OnnxBackbone.open(cfg, List.of("hidden_state_9"), BackboneOptions.cpu()));
        assertTrue(e.getMessage().contains("hidden_state_9") && e.getMessage().contains("hidden_state_4, last_hidden_state"), e.getMessage());
    }

    @Test
    void inputThatDoesNotMatchThePreprocessingIsRefused(@TempDir Path dir) throws Exception {
        Path onnx = Files.copy(RepoFiles.backboneOnnx(), dir.resolve("m.onnx"));
        Files.writeString(dir.resolve("m.yaml"), "onnx: m.onnx\npreprocess: {channels: 3, resize: 36, crop: 32, mean: [0.5,0.5,0.5], std: [0.2,0.2,0.2]}\n");
        BackboneConfig cfg = BackboneConfigLoader.load(dir.resolve("m.yaml").toString());
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> OnnxBackbone.open(cfg, null, BackboneOptions.cpu()));
        assertTrue(e.getMessage().contains("[?, 1, 28, 28]") && e.getMessage().contains("[B, 3, 32, 32]"), e.getMessage());
        assertTrue(Files.exists(onnx));
    }

    @Test
    void wrongGridInConfigIsRefused(@TempDir Path dir) throws Exception {
        Files.copy(RepoFiles.backboneOnnx(), dir.resolve("m.onnx"));
        Files.writeString(dir.resolve("m.yaml"), "onnx: m.onnx\nprefix_tokens: 1\ngrid: [8, 8]\npreprocess: {channels: 1, crop: 28, mean: [0.3], std: [0.35]}\n");
        BackboneConfig cfg = BackboneConfigLoader.load(dir.resolve("m.yaml").toString());
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> OnnxBackbone.open(cfg, null, BackboneOptions.cpu()));
        assertTrue(e.getMessage().contains("T=50"), e.getMessage());
    }

    @Test
    void huggingFacePreprocessorConfigBesideTheOnnx(@TempDir Path dir) throws Exception {
        Files.copy(RepoFiles.backboneOnnx(), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"do_resize\": true, \"size\": {\"shortest_edge\": 32}, \"resample\": 3,"
                + " \"do_center_crop\": true, \"crop_size\": {\"height\": 28, \"width\": 28}, \"image_mean\": [0.286], \"image_std\": [0.353]}");
        BackboneConfig cfg = BackboneConfigLoader.load(dir.resolve("model.onnx").toString());
        assertEquals(32, cfg.preprocessing().resizeShorter());
        assertEquals(28, cfg.preprocessing().cropW());
        try (OnnxBackbone bb = OnnxBackbone.open(cfg, null, BackboneOptions.cpu())) {
            assertEquals(List.of("hidden_state_4"), bb.layers());
            assertEquals(1, bb.layout().prefixTokens());
        }
    }

    @Test
    void gpuWithoutCudaIsRefusedAndAutoFallsBackWithANotice() throws Exception {
        OrtNativeLoader.load(s -> { }); // ONNX Runtime starts the way OnnxBackbone starts it, whichever test runs first
        Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this build has ONNX Runtime's CUDA provider");
        BackboneConfig cfg = BackboneConfigLoader.load(yaml().toString());
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> OnnxBackbone.open(cfg, null, new BackboneOptions(1, DeviceChoice.GPU, null)));
        assertTrue(e.getMessage().startsWith("--device gpu") && e.getMessage().contains("-Pgpu"), e.getMessage());
        List<String> notices = new java.util.ArrayList<>();
        try (OnnxBackbone bb = OnnxBackbone.open(cfg, null, new BackboneOptions(1, DeviceChoice.AUTO, notices::add))) {
            assertEquals("cpu", bb.device());
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("running the backbone on CPU"), notices.get(0));
    }

    @Test
    void huggingFaceExactResizeAndFloorCrop(@TempDir Path dir) throws Exception {
        Files.copy(RepoFiles.backboneOnnx(), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"height\": 28, \"width\": 28}, \"resample\": 2,"
                + " \"image_mean\": [0.5], \"image_std\": [0.5], \"do_normalize\": true}");
        BackboneConfig cfg = BackboneConfigLoader.load(dir.resolve("model.onnx").toString());
        assertEquals(0, cfg.preprocessing().resizeShorter());
        assertEquals(28, cfg.preprocessing().resizeH());
        assertEquals(28, cfg.preprocessing().outputWidth());
        assertEquals(io.glimpse.extract.image.ResizeFilter.BILINEAR, cfg.preprocessing().filter());
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"shortest_edge\": 32}, \"crop_size\": 28, \"do_center_crop\": true,"
                + " \"image_mean\": [0.5], \"image_std\": [0.5]}");
        assertEquals(io.glimpse.extract.image.CropRounding.FLOOR, BackboneConfigLoader.load(dir.resolve("model.onnx").toString()).preprocessing().cropRounding());
    }

    @Test
    void yamlTypoIsOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.yaml"), "onnx: m.onnx\nprefx_tokens: 1\n");
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> BackboneConfigLoader.load(dir.resolve("m.yaml").toString()));
        assertTrue(e.getMessage().contains("prefx_tokens"), e.getMessage());
    }
}
