package io.glimpse.eval.report;

import io.glimpse.train.probe.ProbeRegistry;

/** Colour groups of the plots: the study's three kinds of probe, the k-NN evaluation, and probes Glimpse does not know. */
public enum PlotGroup {
    LINEAR("linear probe"),
    EFFICIENT("efficient probing (EP)"),
    ATTENTIVE("other attentive pooling"),
    KNN("k-NN (no training)"),
    OTHER("other probe");

    private final String legend;

    PlotGroup(String legend) {
        this.legend = legend;
    }

    public String legend() {
        return legend;
    }

    /** The group of a run's probe, from the registry's family of that probe. */
    public static PlotGroup of(String probe, ProbeRegistry probes) {
        if (probe.equals("knn")) return KNN;
        return probes.find(probe).map(info -> switch (info.family()) {
            case LINEAR -> LINEAR;
            case EFFICIENT -> EFFICIENT;
            case ATTENTIVE -> ATTENTIVE;
        }).orElse(OTHER);
    }
}
