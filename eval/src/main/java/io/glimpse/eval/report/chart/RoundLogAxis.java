package io.glimpse.eval.report.chart;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A base-10 log axis whose ticks sit on round numbers people read at a glance: whole decades over a wide range,
 * 1-2-5 steps over a narrower one, evenly stepped round values within a decade (LogAxis's own units land on 10^0.2 steps: 1.6K, 2.5K, 4K, ...). Labels are
 * compact (1K, 20K, 1M).
 */
final class RoundLogAxis extends LogAxis {
    private final transient NumberFormat compact = NumberFormat.getCompactNumberInstance(Locale.US, NumberFormat.Style.SHORT);

    RoundLogAxis(String label) {
        super(label);
        setBase(10);
        compact.setMaximumFractionDigits(1);
        setNumberFormatOverride(compact);
        setSmallestValue(1e-9);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        double lo = getLowerBound();
        double hi = getUpperBound();
        double decades = Math.log10(hi / lo);
        List ticks = new ArrayList();
        TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
        if (decades < 0.8) {
            // under a decade the log scale is nearly linear: evenly stepped round values (1, 2 or 5 x 10^k)
            double raw = (hi - lo) / 6;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
            for (double v = Math.ceil(lo / step) * step; v <= hi; v += step) {
                ticks.add(new NumberTick(TickType.MAJOR, v, compact.format(v), anchor, TextAnchor.CENTER, 0.0));
            }
            return ticks;
        }
        double[] steps = decades >= 3 ? new double[]{1} : new double[]{1, 2, 5};
        for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
            double decade = Math.pow(10, e);
            for (int m = 1; m <= 9; m++) {
                double v = m * decade;
                if (v < lo || v > hi) continue;
                boolean major = false;
                for (double s : steps) major |= s == m;
                ticks.add(new NumberTick(major ? TickType.MAJOR : TickType.MINOR, v, major ? compact.format(v) : "",
                        anchor, TextAnchor.CENTER, 0.0));
            }
        }
        return ticks;
    }
}
