package io.glimpse.extract.image;

/**
 * Box crops and flips on {@link U8Image}, as Pillow's {@code Image.crop} and torchvision's CenterCrop /
 * hflip do: a crop box reaching outside the image is filled with zeros (torchvision pads before cropping).
 */
public final class Crops {
    private Crops() {
    }

    /** The pixels of box (left, top, width, height); outside the image reads as 0. */
    public static U8Image crop(U8Image in, int left, int top, int w, int h) {
        if (left == 0 && top == 0 && w == in.width() && h == in.height()) return in;
        int c = in.channels();
        byte[] src = in.pixels();
        byte[] dst = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= in.height()) continue;
            int x0 = Math.max(0, -left), x1 = Math.min(w, in.width() - left);
            if (x1 > x0) System.arraycopy(src, (sy * in.width() + left + x0) * c, dst, (y * w + x0) * c, (x1 - x0) * c);
        }
        return new U8Image(w, h, c, dst);
    }

    /**
     * torchvision CenterCrop offsets: {@code int(round((size - crop) / 2.0))} with Python's round-half-to-even,
     * or floor division as Hugging Face image processors do. A crop larger than the image pads it symmetrically
     * ({@code (crop - size) // 2} before), which the same formula yields as a negative offset.
     */
    public static int centerOffset(int size, int crop, CropRounding rounding) {
        if (crop > size) return -((crop - size) / 2);
        int diff = size - crop;
        return rounding == CropRounding.HALF_EVEN ? (int) Math.rint(diff / 2.0) : Math.floorDiv(diff, 2);
    }

    public static U8Image centerCrop(U8Image in, int cropW, int cropH, CropRounding rounding) {
        return crop(in, centerOffset(in.width(), cropW, rounding), centerOffset(in.height(), cropH, rounding), cropW, cropH);
    }

    public static U8Image flipHorizontal(U8Image in) {
        int w = in.width(), c = in.channels();
        byte[] src = in.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * c, dst, (y * w + (w - 1 - x)) * c, c);
            }
        }
        return new U8Image(w, in.height(), c, dst);
    }
}
