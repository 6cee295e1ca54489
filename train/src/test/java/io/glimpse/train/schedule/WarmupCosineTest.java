package io.glimpse.train.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference recipe's schedule (testdata/reference.json): peak 0.4 = 0.1·1024/256, 3 warmup epochs of
 * 30, 58 steps per epoch; with e = epoch + it/58: 0.4·e/3 for e &lt; 3, else 0.4·0.5·(1+cos(π(e−3)/27)).
 */
class WarmupCosineTest {
    private final WarmupCosine s = new WarmupCosine(0.4, 3, 30, 58);

    private static double reference(double e) {
        return e < 3 ? 0.4 * e / 3 : 0.4 * 0.5 * (1 + Math.cos(Math.PI * (e - 3) / 27));
    }

    @Test
    void matchesTheReferenceFormulaAtEveryIteration() {
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int it = 0; it < 58; it++) {
                assertEquals(reference(epoch + it / 58.0), s.lr(epoch, it), 1e-12, "epoch " + epoch + " it " + it);
            }
        }
    }

    @Test
    void landmarks() {
        assertEquals(0.0, s.lr(0, 0), 0);
        assertEquals(0.2, s.lr(1, 29), 1e-12);      // e = 1.5: half of warmup
        assertEquals(0.4, s.lr(3, 0), 1e-12);       // peak right after warmup
        assertEquals(0.2, s.lr(16, 29), 1e-12);     // e = 16.5: half way down the cosine
        double last = s.lr(29, 57);
        assertTrue(last > 0 && last < 1e-3, "last step lr " + last);
    }

    @Test
    void noWarmupStartsAtPeak() {
        WarmupCosine w = new WarmupCosine(1.0, 0, 10, 5);
        assertEquals(1.0, w.lr(0, 0), 1e-12);
        assertEquals(0.5, w.lr(5, 0), 1e-12);
    }
}
