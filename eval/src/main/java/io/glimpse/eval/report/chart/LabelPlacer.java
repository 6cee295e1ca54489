package io.glimpse.eval.report.chart;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.TextAnchor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places one text label per point so labels neither overlap each other nor cover markers. JFreeChart's item
 * labels sit at a fixed offset and collide as soon as two probes have similar cost and accuracy; here the chart
 * is laid out once off-screen to learn the data area, then each label greedily takes the cheapest of a ring of
 * candidate positions (overlap and clipping are penalised, distance slightly), with a leader line when it had
 * to move away from its point.
 */
final class LabelPlacer {
    private static final double[] DISTANCES = {6, 20, 38, 60};
    // unit directions: right, left, up, down, then the diagonals
    private static final double[][] DIRECTIONS = {{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
    private static final double MARKER = 12;

    private final Font font;

    LabelPlacer(Font font) {
        this.font = font;
    }

    void place(JFreeChart chart, List<ChartPoint> points, int width, int height) {
        if (points.isEmpty()) return;
        XYPlot plot = chart.getXYPlot();
        BufferedImage scratch = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scratch.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        FontMetrics fm = g.getFontMetrics(font);
        g.dispose();

        List<Point2D> screen = new ArrayList<>();
        List<Rectangle2D> occupied = new ArrayList<>();
        for (ChartPoint p : points) {
            Point2D s = new Point2D.Double(
                    plot.getDomainAxis().valueToJava2D(p.x(), area, plot.getDomainAxisEdge()),
                    plot.getRangeAxis().valueToJava2D(p.y(), area, plot.getRangeAxisEdge()));
            screen.add(s);
            occupied.add(new Rectangle2D.Double(s.getX() - MARKER / 2, s.getY() - MARKER / 2, MARKER, MARKER));
        }
        // crowded points first: they have the fewest good spots
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble(i -> -neighbours(screen, i)));

        for (int i : order) {
            Point2D s = screen.get(i);
            double w = fm.stringWidth(points.get(i).label()) + 4;
            double h = fm.getAscent() + fm.getDescent();
            Rectangle2D best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            double bestDistance = 0;
            for (double d : DISTANCES) {
                for (int k = 0; k < DIRECTIONS.length; k++) {
                    Rectangle2D box = box(s, DIRECTIONS[k], d, w, h);
                    double cost = d + k * 0.5 + 50 * outside(box, area);
                    for (Rectangle2D o : occupied) cost += 100 * overlap(box, o);
                    if (cost < bestCost) {
                        bestCost = cost;
                        best = box;
                        bestDistance = d;
                    }
                }
            }
            occupied.add(best);
            double cx = best.getCenterX();
            double cy = best.getCenterY();
            XYTextAnnotation text = new XYTextAnnotation(points.get(i).label(),
                    plot.getDomainAxis().java2DToValue(cx, area, plot.getDomainAxisEdge()),
                    plot.getRangeAxis().java2DToValue(cy, area, plot.getRangeAxisEdge()));
            text.setFont(font);
            text.setTextAnchor(TextAnchor.CENTER);
            text.setPaint(Color.DARK_GRAY);
            plot.addAnnotation(text, false);
            if (bestDistance > DISTANCES[0]) {
                Point2D end = nearestEdgePoint(best, s);
                plot.addAnnotation(new XYLineAnnotation(
                        plot.getDomainAxis().java2DToValue(s.getX(), area, plot.getDomainAxisEdge()),
                        plot.getRangeAxis().java2DToValue(s.getY(), area, plot.getRangeAxisEdge()),
                        plot.getDomainAxis().java2DToValue(end.getX(), area, plot.getDomainAxisEdge()),
                        plot.getRangeAxis().java2DToValue(end.getY(), area, plot.getRangeAxisEdge()),
                        new BasicStroke(0.8f), Color.GRAY), false);
            }
        }
        chart.fireChartChanged();
    }

    /** The label box at distance d from the point in a direction, touching the marker's side. */
    private static Rectangle2D box(Point2D s, double[] dir, double d, double w, double h) {
        double gap = MARKER / 2 + d;
        double cx = s.getX() + dir[0] * (gap + w / 2);
        double cy = s.getY() + dir[1] * (gap + h / 2);
        return new Rectangle2D.Double(cx - w / 2, cy - h / 2, w, h);
    }

    private static double overlap(Rectangle2D a, Rectangle2D b) {
        Rectangle2D i = a.createIntersection(b);
        return i.isEmpty() ? 0 : i.getWidth() * i.getHeight();
    }

    private static double outside(Rectangle2D box, Rectangle2D area) {
        return box.getWidth() * box.getHeight() - overlap(box, area);
    }

    private static double neighbours(List<Point2D> screen, int i) {
        double n = 0;
        for (int j = 0; j < screen.size(); j++) {
            if (j != i) n += 1.0 / (1.0 + screen.get(i).distance(screen.get(j)));
        }
        return n;
    }

    private static Point2D nearestEdgePoint(Rectangle2D r, Point2D p) {
        double x = Math.max(r.getMinX(), Math.min(p.getX(), r.getMaxX()));
        double y = Math.max(r.getMinY(), Math.min(p.getY(), r.getMaxY()));
        return new Point2D.Double(x, y);
    }
}
