package io.glimpse.train.loop;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A progress bar per epoch on stderr (rate and ETA from progressbar), plus one summary line per epoch. */
public final class ConsoleProgress implements TrainProgress {
    private final PrintStream out;
    private ProgressBar bar;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStart(int epoch, int epochs, int steps) {
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1).showSpeed().setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void step(double meanLoss, double samplesPerSecond) {
        if (bar == null) return;
        bar.setExtraMessage(String.format(" loss %.4f  %.0f samples/s", meanLoss, samplesPerSecond));
        bar.step();
    }

    @Override
    public void epochEnd(String summary) {
        if (bar != null) bar.close();
        bar = null;
        out.println(summary);
    }

    @Override
    public void note(String line) {
        out.println(line);
    }
}
