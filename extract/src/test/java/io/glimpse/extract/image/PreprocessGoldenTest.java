package io.glimpse.extract.image;

import io.glimpse.extract.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each preprocessing stage against testdata/preprocess (Pillow + torchvision goldens), with the
 * tolerances its golden.json recommends; stages start from the golden output of the stage before.
 */
class PreprocessGoldenTest {
    private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    private static Preprocessing imagenet(ResizeFilter filter) {
        return new Preprocessing(3, 256, 0, 0, 224, 224, filter, CropRounding.HALF_EVEN, IMAGENET_MEAN, IMAGENET_STD);
    }

    private static U8Image golden(String file, int w, int h, int c) throws IOException {
        return new U8Image(w, h, c, RepoFiles.bytes("preprocess/" + file));
    }

    private static U8Image decodedGolden(String name) throws IOException {
        return name.equals("dog") ? golden("dog.decoded.u8", 768, 576, 3) : golden("eagle.decoded.u8", 773, 512, 3);
    }

    private static float[] normalize(Preprocessing p, U8Image img) {
        FloatBuffer out = FloatBuffer.allocate(p.tensorSize());
        new Normalizer(p).write(img, out, 0);
        return out.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "eagle"})
    void decodeMatchesPillowExactly(String name) throws Exception {
        U8Image decoded = ImageDecoder.decode(RepoFiles.testdata("preprocess/" + name + ".jpg"), 3);
        U8Image golden = decodedGolden(name);
        assertEquals(golden.width(), decoded.width());
        assertEquals(golden.height(), decoded.height());
        // golden.json: max_abs 0 for ImageIO on a JDK linked to libjpeg-turbo (Debian OpenJDK 17)
        assertEquals(0, maxAbsDiff(golden.pixels(), decoded.pixels()), "decoded uint8 differs from Pillow");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "eagle"})
    void resizeAndCenterCropMatchPillow(String name) throws Exception {
        U8Image out = EvalTransform.apply(imagenet(ResizeFilter.BICUBIC), decodedGolden(name));
        byte[] golden = RepoFiles.bytes("preprocess/" + name + ".bicubic.resized_cropped.u8");
        assertEquals(224, out.width());
        assertEquals(224, out.height());
        assertTrue(maxAbsDiff(golden, out.pixels()) <= 1, "resize+crop off by more than one level");
        assertTrue(fractionEqual(golden, out.pixels()) >= 0.99, "fewer than 99% of values exactly equal");
        // the fixed-point reproduction is exact; keep it that way
        assertArrayEquals(golden, out.pixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "eagle"})
    void normalizeIsBitExactFromGoldenCrop(String name) throws Exception {
        float[] out = normalize(imagenet(ResizeFilter.BICUBIC), golden(name + ".bicubic.resized_cropped.u8", 224, 224, 3));
        float[] golden = RepoFiles.floats("preprocess/" + name + ".bicubic.normalized.f32");
        assertTrue(maxAbsDiff(golden, out) <= 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "eagle"})
    void bilinearChainFromGoldenDecode(String name) throws Exception {
        Preprocessing p = imagenet(ResizeFilter.BILINEAR);
        float[] out = normalize(p, EvalTransform.apply(p, decodedGolden(name)));
        float[] golden = RepoFiles.floats("preprocess/" + name + ".bilinear.normalized.f32");
        assertTrue(maxAbsDiff(golden, out) <= 0.018);
        int above = 0;
        for (int i = 0; i < out.length; i++) if (Math.abs(out[i] - golden[i]) > 1e-6) above++;
        assertTrue(above <= 0.01 * out.length, above + " values differ by more than 1e-6");
    }

    @Test
    void grayChainFromJpeg() throws Exception {
        Preprocessing p = new Preprocessing(1, 32, 0, 0, 28, 28, ResizeFilter.BICUBIC, CropRounding.HALF_EVEN,
                new double[] {0.2860}, new double[] {0.3530});
        U8Image crop = EvalTransform.apply(p, ImageDecoder.decode(RepoFiles.testdata("preprocess/dog.jpg"), 1));
        byte[] goldenCrop = RepoFiles.bytes("preprocess/dog.gray.bicubic.resized_cropped.u8");
        assertArrayEquals(goldenCrop, crop.pixels());
        float[] golden = RepoFiles.floats("preprocess/dog.gray.bicubic.normalized.f32");
        assertTrue(maxAbsDiff(golden, normalize(p, crop)) <= 1e-6);
    }

    @Test
    void torchvisionSizesAndPythonRounding() {
        assertArrayEquals(new int[] {386, 256}, EvalTransform.shorterSideSize(773, 512, 256)); // 386.5 truncates
        assertArrayEquals(new int[] {341, 256}, EvalTransform.shorterSideSize(768, 576, 256));
        assertEquals(58, Crops.centerOffset(341, 224, CropRounding.HALF_EVEN)); // 58.5 -> 58, not Math.round's 59
        assertEquals(82, Crops.centerOffset(387, 224, CropRounding.HALF_EVEN)); // 81.5 -> 82
        assertEquals(58, Crops.centerOffset(341, 224, CropRounding.FLOOR));
    }

    static int maxAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        return m;
    }

    static double fractionEqual(byte[] a, byte[] b) {
        int eq = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) eq++;
        return eq / (double) a.length;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
