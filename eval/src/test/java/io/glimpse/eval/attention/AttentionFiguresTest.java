package io.glimpse.eval.attention;

import io.glimpse.eval.EvalInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionFiguresTest {
    @TempDir
    Path out;

    @Test
    void bilinearUsesHalfPixelCentres() {
        // a 2x2 map growing left to right, upsampled to 4x4: columns sample the grid at -0.25, 0.25, 0.75, 1.25
        float[] up = Heatmaps.bilinear(new float[]{0, 1, 0, 1}, 2, 2, 4, 4);
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, java.util.Arrays.copyOfRange(up, y * 4, y * 4 + 4), 1e-6f);
        }
        float[] constant = Heatmaps.bilinear(new float[]{0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, 2, 3, 7, 5);
        for (float v : constant) assertEquals(0.3f, v, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.bilinear(new float[5], 2, 2, 4, 4));
    }

    @Test
    void rampRunsDarkToBright() {
        Color lo = Heatmaps.color(0), hi = Heatmaps.color(1);
        assertTrue(lo.getRed() + lo.getGreen() + lo.getBlue() < 30);
        assertTrue(hi.getRed() + hi.getGreen() + hi.getBlue() > 600);
    }

    @Test
    void writesOnePngPerSampleAndAGrid() throws Exception {
        PictureSource pictures = id -> {
            if (!id.startsWith("test/")) throw new EvalInputException("unknown id " + id);
            BufferedImage img = new BufferedImage(7, 7, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 7; y++) for (int x = 0; x < 7; x++) img.setRGB(x, y, 0x808080);
            return img;
        };
        float[] left = new float[9], right = new float[9], uniform = new float[9];
        for (int i = 0; i < 9; i++) {
            left[i] = i % 3 == 0 ? 1 / 3f : 0;
            right[i] = i % 3 == 2 ? 1 / 3f : 0;
            uniform[i] = 1 / 9f;
        }
        List<AttentionImage> images = List.of(new AttentionImage("test/000000", 3, new float[][]{left, right, uniform}, 3, 3),
                new AttentionImage("test/000001", 1, new float[][]{right, left, uniform}, 3, 3));
        List<Path> files = AttentionFigures.write(images, pictures, "efficient M=3", out);
        assertEquals(3, files.size());
        assertTrue(files.get(0).getFileName().toString().equals("attention-test_000000.png"));
        BufferedImage sheet = ImageIO.read(files.get(0).toFile());
        assertTrue(sheet.getWidth() > 4 * 168 && sheet.getHeight() > 168, sheet.getWidth() + "x" + sheet.getHeight());
        BufferedImage grid = ImageIO.read(files.get(2).toFile());
        assertTrue(grid.getWidth() >= 4 * 96 && grid.getHeight() > 2 * 96);

        // query 1 of sample 0 looks left: coloured on the left, the plain grey picture on the unattended right
        List<BufferedImage> tiles = AttentionFigures.tiles(pictures.picture("test/000000"), images.get(0), 168);
        BufferedImage q1 = tiles.get(1);
        assertEquals(0x808080, q1.getRGB(158, 84) & 0xFFFFFF);
        assertTrue(brightness(q1.getRGB(10, 84)) > brightness(0x808080) + 150, Integer.toHexString(q1.getRGB(10, 84)));
        assertEquals(Math.log(3), AttentionFigures.entropy(left), 1e-6);
        assertThrows(EvalInputException.class, () -> AttentionFigures.write(
                List.of(new AttentionImage("train/9", 0, new float[][]{uniform}, 3, 3)), pictures, "x", out));
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
    }
}
