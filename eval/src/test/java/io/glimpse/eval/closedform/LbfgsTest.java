package io.glimpse.eval.closedform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LbfgsTest {
    @Test
    void findsTheMinimumOfRosenbrock() {
        Lbfgs.Objective rosenbrock = (x, g) -> {
            double a = 1 - x[0];
            double b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        };
        Lbfgs.Result r = Lbfgs.minimize(rosenbrock, new double[]{-1.2, 1}, new Lbfgs.Settings(5, 1000, 1e-8, 0));
        assertTrue(r.converged(), r.toString());
        assertEquals(1, r.x()[0], 1e-6);
        assertEquals(1, r.x()[1], 1e-6);
    }

    @Test
    void solvesAnIllConditionedQuadratic() {
        int n = 50;
        Lbfgs.Objective f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < n; i++) {
                double c = Math.pow(10, 4.0 * i / (n - 1)); // condition number 1e4
                g[i] = c * (x[i] - i);
                v += 0.5 * c * (x[i] - i) * (x[i] - i);
            }
            return v;
        };
        Lbfgs.Result r = Lbfgs.minimize(f, new double[n], new Lbfgs.Settings(10, 2000, 1e-9, 0));
        assertTrue(r.converged(), r.toString());
        for (int i = 0; i < n; i++) assertEquals(i, r.x()[i], 1e-6);
    }
}
