package io.glimpse.eval.study;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParetoFrontTest {
    private record P(String name, double cost, double acc) {
    }

    private static List<String> front(P... points) {
        return ParetoFront.of(List.of(points), P::cost, P::acc).stream().map(P::name).toList();
    }

    @Test
    void keepsTheBestAccuracyForAtMostEachCost() {
        assertEquals(List.of("cheap", "mid", "dear"), front(
                new P("dear", 1000, 90), new P("cheap", 10, 70), new P("mid", 100, 80),
                new P("worse-and-dearer", 200, 75), new P("worst", 5000, 60)));
    }

    @Test
    void aPointEqualInOneAxisAndWorseInTheOtherIsDominated() {
        // same cost, less accurate; same accuracy, dearer: both off the front
        assertEquals(List.of("a"), front(new P("a", 10, 80), new P("same-cost-lower", 10, 79.99), new P("same-acc-dearer", 11, 80)));
    }

    @Test
    void exactTiesStayOnTheFrontTogetherInInputOrder() {
        assertEquals(List.of("x", "b1", "b2", "top"), front(
                new P("b1", 20, 80), new P("x", 5, 70), new P("b2", 20, 80), new P("top", 40, 90), new P("under-b", 30, 75)));
    }

    @Test
    void aSinglePointAndNoPoints() {
        assertEquals(List.of("only"), front(new P("only", 1, 1)));
        assertEquals(List.of(), front());
    }

    @Test
    void allOnTheFrontWhenAccuracyRisesWithCost() {
        assertEquals(List.of("p1", "p2", "p3"), front(new P("p3", 3, 3), new P("p1", 1, 1), new P("p2", 2, 2)));
    }
}
