package io.glimpse.train.config;

import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadPlannerTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();

    @Test
    void expandsProbesLayersLearningRatesAndQueries() {
        List<HeadSpec> heads = HeadPlanner.expand(List.of("efficient,linear"), List.of("h4", "last"), List.of(0.05, 0.1), List.of(0.0),
                List.of(8, 32), 1, 0, REGISTRY);
        // efficient: 2 layers x 2 blr x 2 queries; linear: 2 layers x 2 blr
        assertEquals(8 + 4, heads.size());
        assertEquals(new HeadSpec("efficient", new io.glimpse.train.probe.ProbeOptions(8, 1, 0), "h4", 0.05), heads.get(0));
        assertEquals(4, heads.stream().filter(h -> h.probe().equals("linear")).count());
    }

    @Test
    void allMeansEveryKnownProbeOnce() {
        List<HeadSpec> heads = HeadPlanner.expand(List.of("all", "linear"), List.of("h4"), List.of(0.1), List.of(0.0), List.of(), 1, 0, REGISTRY);
        assertEquals(REGISTRY.names(), heads.stream().map(HeadSpec::probe).toList());
        assertEquals(32, heads.get(2).options().queries());
    }

    @Test
    void queriesAreSweptForTheEpFamilyOnlyAndUnlistedVariantsAreAcceptedByName() {
        List<HeadSpec> heads = HeadPlanner.expand(List.of("efficient-all,efficient-project-all,aim"), List.of("h4"), List.of(0.1), List.of(0.0),
                List.of(8, 16), 1, 0, REGISTRY);
        assertEquals(List.of("efficient-all", "efficient-all", "efficient-project-all", "efficient-project-all", "aim"),
                heads.stream().map(HeadSpec::probe).toList());
    }

    @Test
    void refusesUnknownNamesAndBadValuesNamingTheOption() {
        TrainInputException e = assertThrows(TrainInputException.class,
                () -> HeadPlanner.expand(List.of("efficient,effcient"), List.of("h4"), List.of(0.1), List.of(0.0), List.of(), 1, 0, REGISTRY));
        assertTrue(e.getMessage().startsWith("unknown --probe 'effcient'") && e.getMessage().contains("all, linear, linear-gap"), e.getMessage());
        assertThrows(TrainInputException.class, () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.0), List.of(0.0), List.of(), 1, 0, REGISTRY));
        TrainInputException q = assertThrows(TrainInputException.class,
                () -> HeadPlanner.expand(List.of("efficient"), List.of("h4"), List.of(0.1), List.of(0.0), List.of(0), 1, 0, REGISTRY));
        assertTrue(q.getMessage().contains("--queries"), q.getMessage());
    }

    @Test
    void aGridIsEveryCombinationOfProbeLayerQueriesBlrAndWeightDecay() {
        List<HeadSpec> heads = HeadPlanner.expand(List.of("linear,efficient"), List.of("h4", "last"), List.of(0.01, 0.1, 1.0),
                List.of(0.0, 0.05), List.of(8, 32), 1, 0, REGISTRY);
        // linear: 2 layers x 3 blr x 2 wd; efficient: the same x 2 query counts
        assertEquals(12 + 24, heads.size());
        assertEquals(heads.size(), new java.util.HashSet<>(heads).size(), "every head differs");
        assertEquals(new HeadSpec("linear", new io.glimpse.train.probe.ProbeOptions(8, 1, 0), "h4", 0.01, 0.05), heads.get(1));
        assertEquals(18, heads.stream().filter(h -> h.weightDecay() == 0.05).count());
        assertEquals(12, heads.stream().filter(h -> h.blr() == 1.0).count());
    }

    @Test
    void refusesEmptyListsRepeatedValuesAndNegativeWeightDecayNamingTheOption() {
        assertRefused("--weight-decay", () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.1), List.of(-0.1), List.of(), 1, 0, REGISTRY));
        assertRefused("--weight-decay", () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.1), List.of(Double.NaN), List.of(), 1, 0, REGISTRY));
        assertRefused("--weight-decay", () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.1), List.of(), List.of(), 1, 0, REGISTRY));
        assertRefused("--blr", () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(), List.of(0.0), List.of(), 1, 0, REGISTRY));
        assertRefused("--weight-decay: 0.05 is listed twice",
                () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.1), List.of(0.05, 0.0, 0.05), List.of(), 1, 0, REGISTRY));
        assertRefused("--blr: 0.1 is listed twice",
                () -> HeadPlanner.expand(List.of("linear"), List.of("h4"), List.of(0.1, 0.1), List.of(0.0), List.of(), 1, 0, REGISTRY));
        assertRefused("--queries: 8 is listed twice",
                () -> HeadPlanner.expand(List.of("efficient"), List.of("h4"), List.of(0.1), List.of(0.0), List.of(8, 8), 1, 0, REGISTRY));
        assertRefused("--layer: h4 is listed twice",
                () -> HeadPlanner.expand(List.of("linear"), List.of("h4", "h4"), List.of(0.1), List.of(0.0), List.of(), 1, 0, REGISTRY));
    }

    private static void assertRefused(String start, org.junit.jupiter.api.function.Executable call) {
        TrainInputException e = assertThrows(TrainInputException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
