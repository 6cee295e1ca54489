package io.glimpse.extract.image;

import java.util.SplittableRandom;

/**
 * One random training view: the MAE/BYOL "single-draw" RandomResizedCrop (util/crop.py: one area and one
 * log-uniform aspect draw, the box clipped to the image instead of a rejection loop), resized to the eval
 * output size, then a horizontal flip. The random numbers come from a generator seeded per (seed, image, view)
 * so view k of image i is the same on every run and thread.
 */
public final class AugmentTransform {
    private final Preprocessing preprocessing;
    private final AugmentParams params;

    public AugmentTransform(Preprocessing preprocessing, AugmentParams params) {
        this.preprocessing = preprocessing;
        this.params = params;
    }

    /** Box (left, top, width, height) of the crop for an image of {@code w x h}. */
    public int[] sampleBox(int w, int h, SplittableRandom rng) {
        double area = (double) w * h;
        double target = area * uniform(rng, params.scaleMin(), params.scaleMax());
        double aspect = Math.exp(uniform(rng, Math.log(params.ratioMin()), Math.log(params.ratioMax())));
        int cw = Math.min((int) Math.rint(Math.sqrt(target * aspect)), w);
        int ch = Math.min((int) Math.rint(Math.sqrt(target / aspect)), h);
        cw = Math.max(cw, 1);
        ch = Math.max(ch, 1);
        int top = rng.nextInt(h - ch + 1);
        int left = rng.nextInt(w - cw + 1);
        return new int[] {left, top, cw, ch};
    }

    public U8Image apply(U8Image img, SplittableRandom rng) {
        int[] box = sampleBox(img.width(), img.height(), rng);
        U8Image crop = Crops.crop(img, box[0], box[1], box[2], box[3]);
        U8Image out = PillowResampler.resize(crop, preprocessing.outputWidth(), preprocessing.outputHeight(), params.filter());
        return rng.nextDouble() < params.flipProbability() ? Crops.flipHorizontal(out) : out;
    }

    /** Generator for view {@code view} of image {@code image}; independent streams by construction of the seed. */
    public static SplittableRandom viewRandom(long seed, long image, int view) {
        long s = mix(mix(mix(seed) ^ image) + view);
        return new SplittableRandom(s);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
