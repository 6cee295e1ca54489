package io.glimpse.eval.report;

import io.glimpse.eval.closedform.ClosedFormProbe;
import io.glimpse.train.probe.ProbeRegistry;

/**
 * Colour groups of the plots: the study's three kinds of probe, the k-NN evaluation, probes Glimpse does not know,
 * and the closed-form linear probes (last, so the others keep their colours).
 */
public enum PlotGroup {
    LINEAR("linear probe"),
    EFFICIENT("efficient probing (EP)"),
    ATTENTIVE("other attentive pooling"),
    KNN("k-NN (no training)"),
    OTHER("other probe"),
    CLOSED_FORM("closed-form linear (ridge, logreg)");

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
        if (ClosedFormProbe.find(probe).isPresent()) return CLOSED_FORM;
        return probes.find(probe).map(info -> switch (info.family()) {
            case LINEAR -> LINEAR;
            case EFFICIENT -> EFFICIENT;
            case ATTENTIVE -> ATTENTIVE;
        }).orElse(OTHER);
    }
}
