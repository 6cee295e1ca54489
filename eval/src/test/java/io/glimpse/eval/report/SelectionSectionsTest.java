package io.glimpse.eval.report;

import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SelectionSectionsTest {
    private static RunResult top1(double v) {
        return new RunResult(null, "linear", Map.of(), null, null, null, null, null, null, null, null, null, null, v, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, Map.of(), null);
    }

    @Test
    void spreadIsTheMeanAndTheSampleStandardDeviation() {
        // mean 5, squared deviations 9 + 1 + 1 + 9 = 20, sample variance 20 / 3
        assertEquals(String.format(java.util.Locale.ROOT, "5.00 ± %.2f", Math.sqrt(20.0 / 3)),
                SelectionSections.spread(List.of(top1(2), top1(4), top1(6), top1(8)), RunResult::top1Best));
        assertEquals("7.00", SelectionSections.spread(List.of(top1(7)), RunResult::top1Best));
        assertEquals("–", SelectionSections.spread(List.of(top1(7)), RunResult::valTop1Best));
    }
}
