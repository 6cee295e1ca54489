package io.glimpse.extract.image;

/**
 * An 8-bit image as Pillow holds it: {@code pixels} in HWC order (row-major, channels interleaved), one
 * channel for grayscale ("L") or three for RGB. Pillow's resize and crop work on exactly this kind of
 * uint8 image, so the preprocessing stages keep it until ToTensor.
 */
public record U8Image(int width, int height, int channels, byte[] pixels) {
    public U8Image {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("pixel array holds " + pixels.length + " bytes, expected " + width + "x" + height + "x" + channels);
        }
    }

    /** Value of (x, y, c) as 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }
}
