package io.glimpse.train.schedule;

/**
 * MAE {@code util/lr_sched.py}, updated per iteration (docs/recipe.md#schedule): with fractional epoch
 * e = epoch + it/steps, lr = peak·e/warmup during warmup, then a half cosine from peak down to {@code minLr} at the
 * last epoch.
 */
public record WarmupCosine(double peakLr, double warmupEpochs, int epochs, int stepsPerEpoch, double minLr)
        implements LrSchedule {

    public WarmupCosine {
        if (!(peakLr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + peakLr);
        if (epochs <= 0 || stepsPerEpoch <= 0) throw new IllegalArgumentException("need epochs > 0 and steps > 0");
        if (warmupEpochs < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmupEpochs);
    }

    public WarmupCosine(double peakLr, double warmupEpochs, int epochs, int stepsPerEpoch) {
        this(peakLr, warmupEpochs, epochs, stepsPerEpoch, 0.0);
    }

    @Override
    public double lr(int epoch, int iteration) {
        double e = epoch + (double) iteration / stepsPerEpoch;
        if (e < warmupEpochs) return peakLr * e / warmupEpochs;
        double span = epochs - warmupEpochs;
        if (span <= 0) return peakLr;
        return minLr + (peakLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * (e - warmupEpochs) / span));
    }

    @Override
    public String name() {
        return "warmup-cosine (per iteration)";
    }
}
