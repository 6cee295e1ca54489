package io.glimpse.eval.report;

/** Colour groups of the plots: the study's three kinds of probe, plus the k-NN evaluation. */
public enum ProbeFamily {
    LINEAR("linear probe"),
    EFFICIENT("efficient probing (EP)"),
    ATTENTIVE("other attentive pooling"),
    KNN("k-NN (no training)");

    private final String legend;

    ProbeFamily(String legend) {
        this.legend = legend;
    }

    public String legend() {
        return legend;
    }

    public static ProbeFamily of(String probe) {
        if (probe.equals("knn")) return KNN;
        if (probe.startsWith("linear")) return LINEAR;
        if (probe.startsWith("efficient")) return EFFICIENT;
        return ATTENTIVE;
    }
}
