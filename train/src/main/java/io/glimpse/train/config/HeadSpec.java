package io.glimpse.train.config;

import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeOptions;

/** One head to train in a pass: which probe, with which options, on which cached layer, at which base lr. */
public record HeadSpec(String probe, ProbeOptions options, String layer, double blr) {
    public HeadSpec {
        if (probe == null || probe.isBlank()) throw new TrainInputException("--probe: empty probe name");
        if (layer == null || layer.isBlank()) throw new TrainInputException("--layer: empty layer name");
        if (!(blr > 0) || Double.isInfinite(blr)) throw new TrainInputException("--blr must be > 0, got " + blr);
    }
}
