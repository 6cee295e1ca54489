package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;

import java.nio.file.Path;

/** Entry point of the child JVM that {@link ResumeAfterKillTest} kills: extracts the train split of a dataset. */
public final class ExtractChild {
    private ExtractChild() {
    }

    static ExtractRequest request(Path datasetYaml) {
        return ExtractRequest.of(BackboneConfigLoader.load(TestData.backboneYaml().toString()), DatasetConfigLoader.load(datasetYaml.toString()),
                        "train", new BackboneOptions(1, DeviceChoice.CPU, null))
                .withDtype(TokenDtype.FLOAT32).withLayers(java.util.List.of("hidden_state_4", "hidden_state_2"))
                .withBatch(16, 1).withRowsPerShard(40); // 40 is not a multiple of 16: resumes start mid-batch
    }

    /** args: dataset yaml, cache root. */
    public static void main(String[] args) {
        new Extractor(CacheStore.open(Path.of(args[1]))).ensure(request(Path.of(args[0])));
    }
}
