package io.glimpse.spark;

import io.glimpse.cache.ShardFormat;
import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.pipeline.RowPlan;

import java.io.Serializable;
import java.util.List;

/**
 * What every task of one entry's extraction shares, in a form that travels to executors: the config files (loaded
 * again there, so the executor resolves the same model and dataset files), the request's options, the model hash the
 * key was made with, where the entry lives and how its shards are laid out.
 *
 * @param threads ONNX Runtime threads per executor JVM (0 = one per core of that JVM)
 * @param images  images of the split in the entry (the limit applied)
 */
record ShardJob(String backboneSource, List<String> layers, String datasetSource, String split, String dtype, int limit,
                int views, long seed, int batch, int workers, int threads, String device, boolean skipBad, String modelSha,
                String entryDir, String entryName, ShardFormat format, int images) implements Serializable {

    ShardJob {
        layers = List.copyOf(layers);
    }

    /** The request as the executor rebuilds it (no progress bar; notices go to the executor's stderr). */
    ExtractRequest request() {
        BackboneOptions options = new BackboneOptions(threads, DeviceChoice.parse(device), System.err::println);
        return ExtractRequest.of(BackboneConfigLoader.load(backboneSource), DatasetConfigLoader.load(datasetSource), split, options)
                .withLayers(layers).withDtype(TokenDtype.parse(dtype)).withLimit(limit).withViews(views, seed)
                .withBatch(batch, workers).withSkipBad(skipBad);
    }

    RowPlan plan() {
        return RowPlan.extraction(images, views, seed);
    }
}
