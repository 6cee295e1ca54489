package io.glimpse.train.config;

import io.glimpse.train.TrainInputException;
import io.glimpse.train.optim.OptimizerKind;

/**
 * The optimisation recipe shared by every head of a run (docs/recipe.md). Each head brings its own base
 * learning rate and weight decay ({@link HeadSpec}); its peak lr is {@code blr × batch / 256}. {@link #REFERENCE} is
 * the fixture reference recipe (testdata/reference.json): LARS, batch 1024, 30 epochs, 3 warmup, seed 0 (with blr 0.1
 * and weight decay 0 per head).
 */
public record Recipe(OptimizerKind optimizer, int batch, int epochs, double warmupEpochs, int seed) {
    public static final double REFERENCE_BLR = 0.1;
    public static final Recipe REFERENCE = new Recipe(OptimizerKind.LARS, 1024, 30, 3, 0);

    public Recipe {
        if (batch <= 0) throw new TrainInputException("--batch must be > 0, got " + batch);
        if (epochs <= 0) throw new TrainInputException("--epochs must be > 0, got " + epochs);
        // warmup beyond the last epoch is allowed (short test runs keep the default 3): lr then only ramps up, as in MAE
        if (warmupEpochs < 0) throw new TrainInputException("--warmup must be >= 0, got " + warmupEpochs);
    }

    /** The peak learning rate for base rate {@code blr} (the linear scaling rule). */
    public double peakLr(double blr) {
        return blr * batch / 256.0;
    }

    /** The same recipe with another seed (a few-shot try). */
    public Recipe withSeed(int newSeed) {
        return new Recipe(optimizer, batch, epochs, warmupEpochs, newSeed);
    }
}
