package io.glimpse.extract.backbone;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.glimpse.extract.ExtractInputException;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens an ONNX model through DJL's OnnxRuntime engine (device choice, engine/native loading, session options)
 * and hands back the underlying {@link OrtSession}. DJL's block runs every output and copies each to the Java
 * heap; the session lets the pipeline request only the layers it stores and have ONNX Runtime write them
 * straight into the batch buffers (pinned outputs). DJL 0.36 keeps the session in a private field of
 * {@link OrtSymbolBlock}, hence the one reflective read below; the version is pinned in the parent POM.
 */
final class OrtSessions {
    static final String ENGINE = "OnnxRuntime";

    private OrtSessions() {
    }

    /** A DJL model holding the session; close the model to free it. */
    record Opened(Model model, OrtSession session, OrtSession.SessionOptions options, String device) {
    }

    static Opened open(BackboneConfig cfg, BackboneOptions opts) {
        OrtNativeLoader.load(opts.notices()); // before DJL's engine or a session option wakes ONNX Runtime
        boolean gpu = useGpu(opts);
        if (gpu && opts.device() == DeviceChoice.AUTO) {
            try {
                return open(cfg, opts, true);
            } catch (ExtractInputException e) {
                // a CUDA provider that is present but cannot start (driver, cuDNN) is not a reason to fail under auto
                opts.notices().accept("glimpse: ONNX Runtime's CUDA provider failed to start, running the backbone on CPU");
                return open(cfg, opts, false);
            }
        }
        return open(cfg, opts, gpu);
    }

    private static Opened open(BackboneConfig cfg, BackboneOptions opts, boolean gpu) {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        Model model = null;
        try {
            so.setIntraOpNumThreads(opts.effectiveThreads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // worker threads decode and write beside inference: spinning ORT threads would steal their cores
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            model = Model.newInstance(cfg.name(), gpu ? Device.gpu() : Device.cpu(), ENGINE);
            model.load(cfg.onnxFile(), null, Map.of("sessionOptions", so)); // DJL adds CUDA for a GPU device
            return new Opened(model, sessionOf(model.getBlock()), so, gpu ? "gpu" : "cpu");
        } catch (MalformedModelException | IOException | OrtException | RuntimeException e) {
            if (model != null) model.close();
            so.close();
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new ExtractInputException(cfg.onnxFile() + ": ONNX Runtime cannot load the model (" + root.getMessage() + ")", e);
        }
    }

    private static boolean useGpu(BackboneOptions opts) {
        if (opts.device() == DeviceChoice.CPU) return false;
        int gpus;
        try {
            gpus = Engine.getEngine(ENGINE).getGpuCount();
        } catch (RuntimeException e) {
            gpus = 0;
        }
        if (gpus > 0) return true;
        if (opts.device() == DeviceChoice.GPU) {
            throw new ExtractInputException("--device gpu: ONNX Runtime's CUDA provider is not usable here "
                    + "(build with `mvn -Pgpu` for onnxruntime_gpu, and check the CUDA/cuDNN libraries)");
        }
        opts.notices().accept("glimpse: no usable CUDA provider for ONNX Runtime, running the backbone on CPU");
        return false;
    }

    private static OrtSession sessionOf(Block block) {
        if (!(block instanceof OrtSymbolBlock)) throw new IllegalStateException("DJL returned " + block.getClass().getName() + ", not an OrtSymbolBlock");
        try {
            Field f = OrtSymbolBlock.class.getDeclaredField("session");
            f.setAccessible(true);
            return (OrtSession) f.get(block);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this DJL version hides the ONNX Runtime session differently; update OrtSessions", e);
        }
    }
}
