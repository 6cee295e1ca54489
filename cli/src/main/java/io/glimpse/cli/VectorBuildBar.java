package io.glimpse.cli;

import io.glimpse.cache.vectors.VectorBuildProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/** Says why an entry's vector sidecar is being built (one line) and shows a progress bar over its rows unless quiet. */
public final class VectorBuildBar implements VectorBuildProgress {
    private final PrintWriter out;
    private final boolean quiet;
    private ProgressBar bar;

    public VectorBuildBar(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public void start(String entry, long rows, String reason) {
        out.println("glimpse: " + entry + ": building its CLS / patch-mean vectors (" + (reason.equals("missing") ? "first use" : reason) + ")");
        out.flush();
        if (!quiet) {
            bar = new ProgressBarBuilder().setTaskName("vectors").setInitialMax(rows).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" rows", 1).showSpeed().build();
        }
    }

    @Override
    public void rowsDone(long rows) {
        if (bar != null) bar.stepTo(rows);
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
