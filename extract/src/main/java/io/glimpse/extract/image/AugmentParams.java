package io.glimpse.extract.image;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Training augmentation for cached views: RandomResizedCrop(scale, ratio) with the MAE/BYOL single-draw
 * sampler, resized to the eval output size with {@code filter}, then a horizontal flip with probability
 * {@code flipProbability}. Defaults follow the study's recipe (scale 0.08..1, ratio 3/4..4/3, bicubic, p=0.5).
 */
public record AugmentParams(double scaleMin, double scaleMax, double ratioMin, double ratioMax, double flipProbability,
                            ResizeFilter filter) {

    public AugmentParams {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("augment scale must satisfy 0 < min <= max <= 1, got [" + scaleMin + ", " + scaleMax + "]");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("augment ratio must satisfy 0 < min <= max, got [" + ratioMin + ", " + ratioMax + "]");
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) throw new IllegalArgumentException("flip probability must be in [0,1], got " + flipProbability);
    }

    public static AugmentParams defaults() {
        return new AugmentParams(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5, ResizeFilter.BICUBIC);
    }

    /** Stable text for the cache key. */
    public SortedMap<String, String> describe() {
        SortedMap<String, String> m = new TreeMap<>();
        m.put("transform", "random_resized_crop(single-draw)+hflip");
        m.put("scale", scaleMin + "," + scaleMax);
        m.put("ratio", ratioMin + "," + ratioMax);
        m.put("flip_p", Double.toString(flipProbability));
        m.put("filter", filter.label());
        m.put("rng", "splitmix64(seed,image,view)");
        return Collections.unmodifiableSortedMap(m);
    }
}
