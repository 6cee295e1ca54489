package io.glimpse.spark;

import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.dataset.ImageDataset;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the tasks of one executor JVM share: one ONNX Runtime session per backbone configuration (opening a model is
 * the costliest part of a task; ONNX Runtime sessions are safe to run from several task threads) and one loaded copy
 * of each dataset split. Spark gives a JVM-wide place no other way than a static one; entries live as long as the
 * executor, which is what they are for. In local mode the driver shares them too.
 */
final class ExecutorResources {
    /** The inputs that make two opened backbones interchangeable. */
    record BackboneKey(String source, List<String> layers, int threads, String device) {
    }

    private record DatasetKey(String source, String split) {
    }

    private static final Map<BackboneKey, OnnxBackbone> BACKBONES = new ConcurrentHashMap<>();
    private static final Map<DatasetKey, ImageDataset> DATASETS = new ConcurrentHashMap<>();

    private ExecutorResources() {
    }

    /** The backbone of {@code key}, opened on first use in this JVM; a failed open is not remembered, so a retry tries again. */
    static OnnxBackbone backbone(BackboneKey key) {
        return BACKBONES.computeIfAbsent(key, k -> OnnxBackbone.open(BackboneConfigLoader.load(k.source()), k.layers(),
                new BackboneOptions(k.threads(), DeviceChoice.parse(k.device()), System.err::println)));
    }

    static ImageDataset dataset(String source, String split) {
        return DATASETS.computeIfAbsent(new DatasetKey(source, split), k -> DatasetConfigLoader.open(DatasetConfigLoader.load(k.source()), k.split()));
    }
}
