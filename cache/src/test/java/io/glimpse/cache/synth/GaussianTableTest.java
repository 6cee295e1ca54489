package io.glimpse.cache.synth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianTableTest {
    @Test
    void quantilesAreTheStandardNormalOnes() {
        int n = GaussianTable.size();
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            float q = GaussianTable.quantile(i);
            if (i > 0) assertTrue(q > GaussianTable.quantile(i - 1), "not increasing at " + i);
            sum += q;
            sumSq += (double) q * q;
        }
        assertEquals(0, sum, 1e-9);
        assertEquals(1, sumSq / n, 2e-3);
        // Φ⁻¹(0.975) = 1.959964; Φ⁻¹(0.8413447) = 1
        assertEquals(1.959964, GaussianTable.quantile((int) (0.975 * n)), 5e-4);
        assertEquals(1.0, GaussianTable.quantile((int) (0.8413447 * n)), 5e-4);
    }

    @Test
    void fillDrawsFourValuesPerNumberAndAddsTheBase() {
        SplitMix64 a = new SplitMix64(), b = new SplitMix64();
        a.seed(42);
        b.seed(42);
        float[] base = {1, 2, 3, 4, 5, 6};
        float[] out = new float[6];
        GaussianTable.fill(a, out, 0, base, 0, 6);
        long z0 = b.next(), z1 = b.next();
        assertEquals(1 + GaussianTable.quantile((int) z0 & 0xffff), out[0]);
        assertEquals(4 + GaussianTable.quantile((int) (z0 >>> 48)), out[3]);
        assertEquals(5 + GaussianTable.quantile((int) z1 & 0xffff), out[4]);
        assertEquals(6 + GaussianTable.quantile((int) (z1 >>> 16) & 0xffff), out[5]);
        assertEquals(a.next(), b.next(), "a partly used number is not reused");
    }
}
