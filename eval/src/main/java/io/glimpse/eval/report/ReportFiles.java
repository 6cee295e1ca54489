package io.glimpse.eval.report;

import java.nio.file.Path;
import java.util.List;

/** What {@link AccuracyReport} wrote. */
public record ReportFiles(Path dir, Path markdown, Path csv, Path json, Path html, List<Path> plots) {
}
