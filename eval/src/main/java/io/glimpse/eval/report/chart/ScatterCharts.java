package io.glimpse.eval.report.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the report's accuracy-versus-cost scatter plots with JFreeChart: one series per probe family (colour
 * and legend), large fonts so the PNG stays readable when scaled down in a README, labels placed by
 * {@link LabelPlacer} so they do not overlap.
 */
public final class ScatterCharts {
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private ScatterCharts() {
    }

    /** Points with x ≤ 0 cannot sit on a log axis and are left out (the caller says so in the caption). */
    public static JFreeChart create(ChartSpec spec, List<ChartPoint> points, int width, int height) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        Map<String, Integer> colours = new LinkedHashMap<>();
        for (ChartPoint p : points.stream().sorted(java.util.Comparator.comparingInt(ChartPoint::colour)).toList()) {
            if (spec.logX() && p.x() <= 0) continue;
            series.computeIfAbsent(p.group(), g -> new XYSeries(g, false, true)).add(p.x(), p.y());
            colours.putIfAbsent(p.group(), p.colour());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);

        ValueAxis x = spec.logX() ? new RoundLogAxis(spec.xLabel()) : new NumberAxis(spec.xLabel());
        x.setLowerMargin(0.08);
        x.setUpperMargin(0.12);
        NumberAxis y = new NumberAxis(spec.yLabel());
        y.setAutoRangeIncludesZero(false);
        y.setLowerMargin(0.12);
        y.setUpperMargin(0.12);
        for (ValueAxis a : List.of(x, y)) {
            a.setLabelFont(AXIS_FONT);
            a.setTickLabelFont(TICK_FONT);
        }

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, PALETTE[colours.get((String) data.getSeriesKey(s)) % PALETTE.length]);
            renderer.setSeriesShape(s, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        JFreeChart chart = new JFreeChart(null, TITLE_FONT, plot, data.getSeriesCount() > 1);
        chart.setTitle(new TextTitle(spec.title(), TITLE_FONT));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(TICK_FONT);
            chart.getLegend().setFrame(BlockBorder.NONE);
        }
        new LabelPlacer(LABEL_FONT).place(chart, points.stream().filter(p -> !spec.logX() || p.x() > 0).toList(),
                width, height);
        return chart;
    }
}
