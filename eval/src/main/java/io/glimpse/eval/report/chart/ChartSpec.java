package io.glimpse.eval.report.chart;

/** What one plot shows: file stem (without extension), title, axis labels, and whether x is logarithmic. */
public record ChartSpec(String fileStem, String title, String xLabel, String yLabel, boolean logX) {
}
