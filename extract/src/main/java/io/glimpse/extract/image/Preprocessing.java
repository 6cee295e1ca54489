package io.glimpse.extract.image;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The evaluation transform of a backbone, torchvision style: decode to {@code channels} (1 = L, 3 = RGB),
 * Resize (shorter side to {@code resizeShorter}, or exactly {@code resizeH x resizeW}; 0 = not set) with
 * {@code filter}, CenterCrop {@code cropH x cropW} (0 = none), ToTensor, Normalize(mean, std). The output
 * size must be fixed (a crop or an exact resize) so images batch together.
 */
public record Preprocessing(int channels, int resizeShorter, int resizeH, int resizeW, int cropH, int cropW,
                            ResizeFilter filter, CropRounding cropRounding, double[] mean, double[] std) {

    public Preprocessing {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (resizeShorter > 0 && resizeH > 0) throw new IllegalArgumentException("resize is either a shorter side or an exact [h, w], not both");
        if ((resizeH > 0) != (resizeW > 0)) throw new IllegalArgumentException("exact resize needs both h and w");
        if ((cropH > 0) != (cropW > 0)) throw new IllegalArgumentException("crop needs both h and w");
        if (cropH <= 0 && resizeH <= 0) {
            throw new IllegalArgumentException("preprocessing needs a crop or an exact resize [h, w] so every image has the same size");
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean/std need " + channels + " value(s) for " + channels + " channel(s), got "
                    + mean.length + "/" + std.length);
        }
        for (double s : std) if (!(s > 0)) throw new IllegalArgumentException("std values must be > 0, got " + Arrays.toString(std));
        mean = mean.clone();
        std = std.clone();
    }

    public int outputHeight() {
        return cropH > 0 ? cropH : resizeH;
    }

    public int outputWidth() {
        return cropW > 0 ? cropW : resizeW;
    }

    /** Floats per preprocessed image, C*H*W. */
    public int tensorSize() {
        return channels * outputHeight() * outputWidth();
    }

    /** Everything that changes the tensors, as stable text for the cache key. */
    public SortedMap<String, String> describe() {
        SortedMap<String, String> m = new TreeMap<>();
        m.put("channels", Integer.toString(channels));
        m.put("resize", resizeShorter > 0 ? "shorter:" + resizeShorter : resizeH > 0 ? resizeH + "x" + resizeW : "none");
        m.put("crop", cropH > 0 ? cropH + "x" + cropW : "none");
        m.put("crop_rounding", cropRounding.label());
        m.put("filter", filter.label());
        m.put("mean", Arrays.toString(mean));
        m.put("std", Arrays.toString(std));
        m.put("to_tensor", "x/255f float32, (x-mean_f)/std_f");
        return Collections.unmodifiableSortedMap(m);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && describe().equals(p.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return "Preprocessing" + describe();
    }
}
