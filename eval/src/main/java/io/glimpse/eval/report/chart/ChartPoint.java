package io.glimpse.eval.report.chart;

/** One labelled point of a scatter plot; {@code group} picks its colour and legend entry. */
public record ChartPoint(String label, String group, double x, double y) {
}
