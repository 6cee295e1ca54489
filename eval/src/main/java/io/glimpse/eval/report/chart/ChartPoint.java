package io.glimpse.eval.report.chart;

/**
 * One labelled point of a scatter plot; {@code group} is its legend entry and {@code colour} its palette index,
 * fixed per group so a probe family keeps its colour from one report to the next.
 */
public record ChartPoint(String label, String group, int colour, double x, double y) {
}
