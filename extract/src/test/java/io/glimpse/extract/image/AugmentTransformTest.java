package io.glimpse.extract.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentTransformTest {
    private static final Preprocessing P = new Preprocessing(1, 0, 32, 48, 0, 0, ResizeFilter.BICUBIC, CropRounding.HALF_EVEN,
            new double[] {0.5}, new double[] {0.25});

    @Test
    void singleDrawBoxesStayInsideAndCoverTheScaleRange() {
        AugmentTransform t = new AugmentTransform(P, AugmentParams.defaults());
        int w = 120, h = 80;
        double minFrac = 1, maxFrac = 0;
        for (int i = 0; i < 5000; i++) {
            int[] b = t.sampleBox(w, h, AugmentTransform.viewRandom(1, i, 1));
            assertTrue(b[0] >= 0 && b[1] >= 0 && b[2] >= 1 && b[3] >= 1 && b[0] + b[2] <= w && b[1] + b[3] <= h, java.util.Arrays.toString(b));
            double frac = (double) b[2] * b[3] / (w * h);
            minFrac = Math.min(minFrac, frac);
            maxFrac = Math.max(maxFrac, frac);
        }
        // areas near the 0.08 floor and, clipped to the image, up to the whole image
        assertTrue(minFrac < 0.09, "min area fraction " + minFrac);
        assertTrue(maxFrac > 0.9, "max area fraction " + maxFrac);
    }

    @Test
    void viewsAreReproduciblePerImageAndView() {
        AugmentTransform t = new AugmentTransform(P, AugmentParams.defaults());
        byte[] px = new byte[100 * 60];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
        U8Image img = new U8Image(100, 60, 1, px);
        U8Image a = t.apply(img, AugmentTransform.viewRandom(9, 4, 2));
        U8Image b = t.apply(img, AugmentTransform.viewRandom(9, 4, 2));
        assertEquals(48, a.width());
        assertEquals(32, a.height());
        assertArrayEquals(a.pixels(), b.pixels());
        assertNotEquals(AugmentTransform.viewRandom(9, 4, 2).nextLong(), AugmentTransform.viewRandom(9, 4, 3).nextLong());
        assertNotEquals(AugmentTransform.viewRandom(9, 4, 2).nextLong(), AugmentTransform.viewRandom(9, 5, 2).nextLong());
    }

    @Test
    void flipProbabilityOneMirrorsAFullCrop() {
        AugmentParams always = new AugmentParams(1.0, 1.0, 1.5, 1.5, 1.0, ResizeFilter.BILINEAR);
        Preprocessing same = new Preprocessing(1, 0, 2, 3, 0, 0, ResizeFilter.BILINEAR, CropRounding.HALF_EVEN, new double[] {0}, new double[] {1});
        U8Image img = new U8Image(3, 2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        U8Image out = new AugmentTransform(same, always).apply(img, new SplittableRandom(1));
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, out.pixels());
    }
}
