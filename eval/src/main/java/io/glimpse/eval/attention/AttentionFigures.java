package io.glimpse.eval.attention;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The attention-map pictures: per sample one PNG (the picture, then one overlay per query, wrapped into rows),
 * and one grid PNG (a row per sample). Overlays: the map upsampled bilinearly to the displayed picture, its
 * strength (65th to 99th percentile of the map) as colour and opacity; captions give each map's entropy against
 * ln N (uniform attention), so a faint, nearly uniform map is recognisable as such.
 */
public final class AttentionFigures {
    private static final int TILE = 168;
    private static final int GRID_TILE = 96;
    private static final int PER_ROW = 9;
    private static final int CAPTION = 22;
    private static final int GAP = 6;
    private static final double ALPHA = 0.85;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private AttentionFigures() {
    }

    /** Writes attention-&lt;id&gt;.png per sample and attention-grid.png into {@code dir}; returns the files. */
    public static List<Path> write(List<AttentionImage> images, PictureSource pictures, String title, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            List<List<BufferedImage>> gridRows = new ArrayList<>();
            List<String> rowLabels = new ArrayList<>();
            for (AttentionImage img : images) {
                BufferedImage picture = pictures.picture(img.id());
                String label = pictures.className(img.label());
                List<BufferedImage> tiles = tiles(picture, img, TILE);
                List<String> captions = new ArrayList<>(List.of(img.id() + " (" + label + ")"));
                for (int q = 0; q < img.maps().length; q++) {
                    captions.add(String.format(java.util.Locale.ROOT, "q%d  H %.2f/%.2f", q + 1, entropy(img.maps()[q]),
                            Math.log(img.maps()[q].length)));
                }
                Path file = dir.resolve("attention-" + img.id().replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
                ImageIO.write(sheet(tiles, captions, PER_ROW, title), "png", file.toFile());
                files.add(file);
                gridRows.add(tiles(picture, img, GRID_TILE));
                rowLabels.add(img.id() + " (" + label + ")");
            }
            Path grid = dir.resolve("attention-grid.png");
            ImageIO.write(grid(gridRows, rowLabels, title), "png", grid.toFile());
            files.add(grid);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write attention maps to " + dir, e);
        }
    }

    /** The picture at display size, then one overlay per query. */
    static List<BufferedImage> tiles(BufferedImage picture, AttentionImage img, int height) {
        int width = Math.max(1, (int) Math.round((double) height * picture.getWidth() / picture.getHeight()));
        BufferedImage shown = Heatmaps.scaled(picture, width, height);
        List<BufferedImage> tiles = new ArrayList<>(List.of(shown));
        for (float[] map : img.maps()) {
            tiles.add(Heatmaps.overlay(shown, Heatmaps.bilinear(map, img.gridH(), img.gridW(), width, height), ALPHA));
        }
        return tiles;
    }

    /** Entropy (nats) of a map renormalised to sum 1 (the prefix mass of efficient-all is not on the grid). */
    static double entropy(float[] map) {
        double sum = 0;
        for (float v : map) sum += v;
        double h = 0;
        for (float v : map) {
            if (v > 0) h -= v / sum * Math.log(v / sum);
        }
        return h;
    }

    private static BufferedImage sheet(List<BufferedImage> tiles, List<String> captions, int perRow, String title) {
        int tw = tiles.get(0).getWidth(), th = tiles.get(0).getHeight();
        int cols = Math.min(perRow, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        int titleH = CAPTION + GAP;
        BufferedImage out = canvas(cols * (tw + GAP) + GAP, titleH + rows * (th + CAPTION + GAP) + GAP);
        Graphics2D g = graphics(out);
        g.drawString(title, GAP, CAPTION - 5);
        for (int i = 0; i < tiles.size(); i++) {
            int x = GAP + (i % cols) * (tw + GAP);
            int y = titleH + (i / cols) * (th + CAPTION + GAP);
            g.drawString(fit(g.getFontMetrics(), captions.get(i), tw), x, y + CAPTION - 6);
            g.drawImage(tiles.get(i), x, y + CAPTION, null);
        }
        g.dispose();
        return out;
    }

    private static BufferedImage grid(List<List<BufferedImage>> rows, List<String> labels, String title) {
        int tw = rows.get(0).get(0).getWidth(), th = rows.get(0).get(0).getHeight();
        int cols = rows.get(0).size();
        int headerH = 2 * CAPTION;
        BufferedImage out = canvas(GAP + cols * (tw + GAP), headerH + rows.size() * (th + CAPTION + GAP) + GAP);
        Graphics2D g = graphics(out);
        g.drawString(title, GAP, CAPTION - 5);
        for (int c = 1; c < cols; c++) g.drawString("q" + c, GAP + c * (tw + GAP) + tw / 2 - 8, headerH - 6);
        for (int r = 0; r < rows.size(); r++) {
            int y = headerH + r * (th + CAPTION + GAP);
            g.drawString(fit(g.getFontMetrics(), labels.get(r), cols * (tw + GAP)), GAP, y + CAPTION - 6);
            for (int c = 0; c < cols; c++) g.drawImage(rows.get(r).get(c), GAP + c * (tw + GAP), y + CAPTION, null);
        }
        g.dispose();
        return out;
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return out;
    }

    private static Graphics2D graphics(BufferedImage out) {
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(FONT);
        return g;
    }

    private static String fit(FontMetrics fm, String s, int width) {
        if (fm.stringWidth(s) <= width) return s;
        while (s.length() > 1 && fm.stringWidth(s + "…") > width) s = s.substring(0, s.length() - 1);
        return s + "…";
    }
}
