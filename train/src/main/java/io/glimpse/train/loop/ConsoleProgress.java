package io.glimpse.train.loop;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One progress bar per pass on stderr, over all its epochs' steps (rate and ETA from progressbar), whatever the
 * number of heads in it; one summary line per epoch is printed above the bar.
 */
public final class ConsoleProgress implements TrainProgress {
    private final PrintStream out;
    private ProgressBar bar;
    private String epochLabel = "";

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void passStart(int pass, int passes, int heads, int epochs, int steps, int doneEpochs) {
        closeBar();
        String task = (passes == 1 ? "pass" : "pass " + pass + "/" + passes) + " (" + heads + (heads == 1 ? " head)" : " heads)");
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax((long) epochs * steps)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1).showSpeed()
                // a resumed pass starts at its done epochs; rate and ETA count from the steps trained now
                .startsFrom((long) doneEpochs * steps, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void epochStart(int epoch, int epochs, int steps) {
        epochLabel = "epoch " + epoch + "/" + epochs;
        if (bar != null) bar.setExtraMessage(" " + epochLabel);
    }

    @Override
    public void step(double meanLoss, double samplesPerSecond) {
        if (bar == null) return;
        // short, so the bar keeps its width; the bar itself shows the rate (batches/s) and the ETA
        bar.setExtraMessage(String.format(Locale.ROOT, " %s loss %.4f", epochLabel, meanLoss));
        bar.step();
    }

    @Override
    public void epochEnd(String summary) {
        // on a terminal, a carriage return and a cleared line put the summary where the bar was; the bar redraws below
        if (bar != null && System.console() != null) out.print("\r\033[K");
        else if (bar != null) out.println();
        out.println(summary);
    }

    @Override
    public void passEnd() {
        closeBar();
    }

    @Override
    public void note(String line) {
        out.println(line);
    }

    private void closeBar() {
        if (bar != null) bar.close();
        bar = null;
    }
}
