package io.glimpse.extract.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes image files to the uint8 arrays Pillow's {@code convert('RGB')} / {@code convert('L')} produce.
 * ImageIO on a JDK linked to the system libjpeg-turbo decodes JPEGs exactly like Pillow (see the preprocess
 * fixture's README). Pixels are read from the raster, not through {@code getRGB} where that would apply a
 * colour-space conversion (8-bit gray images), and gray from RGB uses Pillow's rounded ITU-R 601-2 weights.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** Decodes {@code file} into {@code channels} (1 = L, 3 = RGB) channels; failures carry the decoder's reason. */
    public static U8Image decode(Path file, int channels) throws BadImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadImageException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new BadImageException(file + ": cannot decode (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        if (img == null) throw new BadImageException(file + ": cannot decode (no ImageIO reader recognises the format)", null);
        return fromBufferedImage(img, channels);
    }

    /** Converts a decoded image; public so in-memory images (tests, other sources) share the conversion. */
    public static U8Image fromBufferedImage(BufferedImage img, int channels) {
        int w = img.getWidth(), h = img.getHeight();
        if (isPlainGray(img)) {
            byte[] gray = new byte[w * h];
            img.getRaster().getDataElements(0, 0, w, h, gray);
            return channels == 1 ? new U8Image(w, h, 1, gray) : replicate(gray, w, h);
        }
        byte[] rgb = toRgb(img);
        return channels == 3 ? new U8Image(w, h, 3, rgb) : toGray(rgb, w, h);
    }

    private static boolean isPlainGray(BufferedImage img) {
        Raster r = img.getRaster();
        return img.getType() == BufferedImage.TYPE_BYTE_GRAY && r.getNumBands() == 1 && r.getDataBuffer() instanceof DataBufferByte;
    }

    private static byte[] toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            // data elements come in band order (R, G, B) whatever the memory order; no colour conversion
            img.getRaster().getDataElements(0, 0, w, h, rgb);
            return rgb;
        }
        // palette, alpha and other layouts: Pillow's convert('RGB') drops alpha without compositing, as getRGB does
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return rgb;
    }

    private static U8Image replicate(byte[] gray, int w, int h) {
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
        return new U8Image(w, h, 3, rgb);
    }

    /** Pillow's RGB to L: {@code (19595 R + 38470 G + 7471 B + 0x8000) >> 16}. */
    static U8Image toGray(byte[] rgb, int w, int h) {
        byte[] gray = new byte[w * h];
        for (int i = 0; i < gray.length; i++) {
            int r = rgb[3 * i] & 0xFF, g = rgb[3 * i + 1] & 0xFF, b = rgb[3 * i + 2] & 0xFF;
            gray[i] = (byte) ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
        }
        return new U8Image(w, h, 1, gray);
    }
}
