package io.glimpse.extract.image;

import io.glimpse.extract.ExtractInputException;

import java.util.Locale;

/**
 * Pillow's resampling filters (the two torchvision's eval transforms use), with Pillow's support radius and
 * kernel formulas written in the same arithmetic order as its C code so the double-precision weights match.
 */
public enum ResizeFilter {
    /** Keys' cubic convolution with a = -0.5 (PIL.Image.BICUBIC, value 3). */
    BICUBIC(2.0) {
        @Override
        double kernel(double x) {
            final double a = -0.5;
            if (x < 0.0) x = -x;
            if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
            return 0.0;
        }
    },
    /** Triangle filter (PIL.Image.BILINEAR, value 2). */
    BILINEAR(1.0) {
        @Override
        double kernel(double x) {
            if (x < 0.0) x = -x;
            if (x < 1.0) return 1.0 - x;
            return 0.0;
        }
    };

    private final double support;

    ResizeFilter(double support) {
        this.support = support;
    }

    /** Kernel radius at scale 1; Pillow widens it by the downscale factor (antialiasing). */
    public double support() {
        return support;
    }

    abstract double kernel(double x);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts "bicubic"/"bilinear" or Pillow's integer codes 3/2 (as in Hugging Face preprocessor configs). */
    public static ResizeFilter parse(Object value, String where) {
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "bicubic": case "3": return BICUBIC;
            case "bilinear": case "linear": case "2": return BILINEAR;
            default: throw new ExtractInputException(where + ": resize filter '" + value + "' is not one of bicubic (3), bilinear (2)");
        }
    }
}
