package io.glimpse.extract.image;

/** The geometric part of the evaluation transform: Resize then CenterCrop, as torchvision applies them to a PIL image. */
public final class EvalTransform {
    private EvalTransform() {
    }

    public static U8Image apply(Preprocessing p, U8Image img) {
        U8Image resized = img;
        if (p.resizeShorter() > 0) {
            int[] wh = shorterSideSize(img.width(), img.height(), p.resizeShorter());
            resized = PillowResampler.resize(img, wh[0], wh[1], p.filter());
        } else if (p.resizeH() > 0) {
            resized = PillowResampler.resize(img, p.resizeW(), p.resizeH(), p.filter());
        }
        return p.cropH() > 0 ? Crops.centerCrop(resized, p.cropW(), p.cropH(), p.cropRounding()) : resized;
    }

    /**
     * torchvision's Resize(int) output size: the shorter side becomes {@code size} and the longer one
     * {@code int(size * long / short)} (truncated, as Python's int() does).
     */
    public static int[] shorterSideSize(int w, int h, int size) {
        if (w <= h) return new int[] {size, (int) ((double) ((long) size * h) / w)};
        return new int[] {(int) ((double) ((long) size * w) / h), size};
    }
}
