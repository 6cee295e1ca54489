package io.glimpse.eval.report;

import io.glimpse.train.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlotGroupTest {
    private static final ProbeRegistry PROBES = new ProbeRegistry();

    @Test
    void groupsFollowTheRegistryFamilyNotTheName() {
        assertEquals(PlotGroup.LINEAR, PlotGroup.of("linear-gap", PROBES));
        assertEquals(PlotGroup.EFFICIENT, PlotGroup.of("efficient-all", PROBES));
        assertEquals(PlotGroup.EFFICIENT, PlotGroup.of(ProbeRegistry.EFFICIENT_PROJECT_ALL, PROBES));
        assertEquals(PlotGroup.ATTENTIVE, PlotGroup.of("cbam", PROBES));
        assertEquals(PlotGroup.KNN, PlotGroup.of("knn", PROBES));
        assertEquals(PlotGroup.OTHER, PlotGroup.of("linear-from-elsewhere", PROBES), "an unknown name is not guessed from its prefix");
    }
}
