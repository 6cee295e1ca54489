package io.glimpse.extract.dataset;

import io.glimpse.extract.image.AugmentParams;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A dataset as {@code conf/datasets/NAME.yaml} describes it.
 *
 * @param name    cache-key name
 * @param format  layout of the files
 * @param splits  split name to its files: IDX {images, labels}; imagefolder {root}; list {file, root}; paths resolved
 * @param classes class names by label, when the config or the layout gives them
 * @param augment augmentation for cached training views ({@code --views})
 * @param source  the config file, for messages
 */
public record DatasetConfig(String name, DatasetFormat format, Map<String, Map<String, Path>> splits, List<String> classes,
                            AugmentParams augment, Path source) {
    public DatasetConfig {
        splits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(splits));
        classes = List.copyOf(classes);
    }
}
