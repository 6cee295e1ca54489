package io.glimpse.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.glimpse.cache.TokenLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool-first / re-associated poolings equal their direct forms (docs/heads.md#pool-first): float64, every
 * parameter perturbed away from its init (so LayerScale 1e-5, zero queries and unit gains hide nothing), outputs
 * and every parameter's gradient.
 */
class DirectFormTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final TokenLayout LAYOUT = new TokenLayout(17, 32, 1, 4, 4);

    @ParameterizedTest
    @ValueSource(strings = {"abmilp", "abmilp-none", "simpool", "esimpool", "clip", "siglip", "aim", "coca", "cait", "jepa", "cae"})
    void poolFirstEqualsDirectForm(String probe) {
        try (NDManager manager = NDManager.newBaseManager();
             PooledProbe head = REGISTRY.create(probe, ProbeOptions.DEFAULTS, LAYOUT, 4, manager, 3, DataType.FLOAT64)) {
            perturb(head);
            NDArray tokens = HeadFixtures.tokens(manager, LAYOUT, 5, 8, DataType.FLOAT64);
            head.forward(tokens, true);                  // moves running statistics away from 0 / 1
            NDArray patches = tokens.get(new NDIndex(":, 1:, :"));
            NDArray weights = HeadFixtures.tokens(manager, new TokenLayout(1, 32, 0, 0, 0), 5, 9, DataType.FLOAT64).reshape(5, 32);
            DirectForms direct = new DirectForms(head);

            Map<String, double[]> fast;
            NDArray fastOut;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                fastOut = head.pooled(tokens);
                collector.backward(fastOut.mul(weights).sum());
            }
            fast = gradients(head);
            NDArray directOut;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                directOut = direct.pooled(probe, patches);
                collector.backward(directOut.mul(weights).sum());
            }
            double err = HeadFixtures.relativeError(fastOut, directOut);
            assertTrue(err < 1e-10, probe + " output differs from the direct form by " + err);
            // gradients accumulate: after both passes each holds fast + direct
            for (Map.Entry<String, double[]> g : gradients(head).entrySet()) {
                double[] once = fast.get(g.getKey());
                double diff = 0, scale = 0;
                for (int i = 0; i < once.length; i++) {
                    double other = g.getValue()[i] - once[i];
                    diff = Math.max(diff, Math.abs(other - once[i]));
                    scale = Math.max(scale, Math.max(Math.abs(once[i]), Math.abs(other)));
                }
                // cait's key bias: unused by the pool-first form, ~1e-16 in the direct one (softmax shift)
                assertTrue(diff <= 1e-8 * scale + 1e-12, probe + " " + g.getKey() + " gradient differs by " + diff + " of " + scale);
            }
        }
    }

    private static void perturb(ProbeHead head) {
        Random random = new Random(17);
        for (NDArray p : head.parameters().values()) {
            double[] v = p.toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] += 0.2 * random.nextGaussian();
            p.set(v);
        }
    }

    private static Map<String, double[]> gradients(ProbeHead head) {
        Map<String, double[]> out = new LinkedHashMap<>();
        // the classifier is not on the pooled path; CAE's norm2_cross never is (DJL then returns float32 zeros)
        head.parameters().forEach((name, p) -> {
            if (name.startsWith("pool.") && !name.startsWith("pool.norm2_cross.")) out.put(name, p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        });
        return out;
    }
}
