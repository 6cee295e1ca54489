package io.glimpse.eval.attention;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Image operations of the overlays: bilinear upsampling of a patch-grid map, a colour map, alpha blending. */
public final class Heatmaps {
    // a perceptually ordered dark-to-bright ramp (inferno-like): low attention dark purple, high bright yellow
    private static final Color[] RAMP = {new Color(0x000004), new Color(0x420a68), new Color(0x932667),
            new Color(0xdd513a), new Color(0xfca50a), new Color(0xfcffa4)};

    private Heatmaps() {
    }

    /**
     * Upsamples a gridH×gridW map to width×height, bilinear with half-pixel centres (PyTorch's
     * interpolate(mode='bilinear', align_corners=False)): every output pixel samples the grid at its own centre.
     */
    public static float[] bilinear(float[] map, int gridH, int gridW, int width, int height) {
        if (map.length != gridH * gridW) throw new IllegalArgumentException("map of " + map.length + " values is not " + gridH + "x" + gridW);
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double gy = Math.max(0, Math.min(gridH - 1, (y + 0.5) * gridH / height - 0.5));
            int y0 = (int) Math.floor(gy);
            int y1 = Math.min(gridH - 1, y0 + 1);
            double fy = gy - y0;
            for (int x = 0; x < width; x++) {
                double gx = Math.max(0, Math.min(gridW - 1, (x + 0.5) * gridW / width - 0.5));
                int x0 = (int) Math.floor(gx);
                int x1 = Math.min(gridW - 1, x0 + 1);
                double fx = gx - x0;
                double top = map[y0 * gridW + x0] * (1 - fx) + map[y0 * gridW + x1] * fx;
                double bottom = map[y1 * gridW + x0] * (1 - fx) + map[y1 * gridW + x1] * fx;
                out[y * width + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** Colour of t in [0, 1] on the ramp. */
    public static Color color(double t) {
        double s = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) s);
        double f = s - i;
        Color a = RAMP[i], b = RAMP[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** The picture scaled to width×height with bilinear interpolation. */
    public static BufferedImage scaled(BufferedImage picture, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(picture, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /**
     * The map over the picture the way the study's figures draw it (docs/heads.md#attention-maps): the map's strength
     * is rescaled between its own 65th and 99th percentiles, gamma 0.55, and used as the opacity of the colour, so
     * weakly attended regions show the picture unchanged and the focus of each query stands out even when the map is
     * nearly uniform.
     */
    public static BufferedImage overlay(BufferedImage picture, float[] upsampled, double maxAlpha) {
        int w = picture.getWidth(), h = picture.getHeight();
        float[] sorted = upsampled.clone();
        java.util.Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(0.65 * (sorted.length - 1))];
        double hi = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = picture.getRGB(x, y);
                double v = upsampled[y * w + x];
                double t = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0;
                double alpha = maxAlpha * Math.pow(t, 0.55);
                Color c = color(0.35 + 0.65 * t);
                int r = (int) Math.round((1 - alpha) * ((rgb >> 16) & 255) + alpha * c.getRed());
                int g = (int) Math.round((1 - alpha) * ((rgb >> 8) & 255) + alpha * c.getGreen());
                int b = (int) Math.round((1 - alpha) * (rgb & 255) + alpha * c.getBlue());
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

}
