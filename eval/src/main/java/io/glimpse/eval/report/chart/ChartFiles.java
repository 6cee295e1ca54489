package io.glimpse.eval.report.chart;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one chart as PNG (for markdown viewers) and SVG (sharp at any zoom, for index.html). */
public final class ChartFiles {
    private ChartFiles() {
    }

    public static void writePng(JFreeChart chart, Path file, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    public static void writeSvg(JFreeChart chart, Path file, int width, int height) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
    }
}
