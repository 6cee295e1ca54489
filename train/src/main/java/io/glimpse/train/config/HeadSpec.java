package io.glimpse.train.config;

import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeOptions;

/**
 * One head to train in a pass: which probe, with which options, on which cached layer, at which base lr and weight
 * decay (the two hyper-parameters a grid sweeps per head; the rest of the recipe is shared by the pass).
 */
public record HeadSpec(String probe, ProbeOptions options, String layer, double blr, double weightDecay) {
    public HeadSpec {
        if (probe == null || probe.isBlank()) throw new TrainInputException("--probe: empty probe name");
        if (layer == null || layer.isBlank()) throw new TrainInputException("--layer: empty layer name");
        if (!(blr > 0) || Double.isInfinite(blr)) throw new TrainInputException("--blr must be > 0, got " + blr);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new TrainInputException("--weight-decay must be >= 0, got " + weightDecay);
        }
    }

    /** A head without weight decay (the reference recipe's). */
    public HeadSpec(String probe, ProbeOptions options, String layer, double blr) {
        this(probe, options, layer, blr, 0.0);
    }
}
