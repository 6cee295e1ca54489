package io.glimpse.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.pooling.EfficientPooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EP pool-first is the project-every-token function, with the same gradients (docs/heads.md#pool-first). */
class EfficientPoolFirstTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final TokenLayout LAYOUT = new TokenLayout(21, 64, 1, 4, 5);

    @ParameterizedTest
    @CsvSource({"FLOAT64, 8, 1, 1e-12", "FLOAT64, 1, 2, 1e-12", "FLOAT64, 16, 4, 1e-12", "FLOAT32, 8, 1, 1e-5"})
    void poolFirstEqualsProjectAll(DataType type, int queries, int dOut, double tolerance) {
        ProbeOptions options = new ProbeOptions(queries, dOut, 0);
        try (NDManager manager = NDManager.newBaseManager();
             PooledProbe fast = REGISTRY.create("efficient", options, LAYOUT, 6, manager, 5, type);
             PooledProbe slow = REGISTRY.create(ProbeRegistry.EFFICIENT_PROJECT_ALL, options, LAYOUT, 6, manager, 5, type)) {
            NDArray tokens = HeadFixtures.tokens(manager, LAYOUT, 5, 9, type);
            NDArray weights = HeadFixtures.tokens(manager, new TokenLayout(1, 6, 0, 0, 0), 5, 10, type).reshape(5, 6);
            NDArray yFast = backward(fast, tokens, weights);
            NDArray ySlow = backward(slow, tokens, weights);
            assertTrue(HeadFixtures.relativeError(yFast, ySlow) <= tolerance, "logits");
            for (Map.Entry<String, NDArray> p : fast.parameters().entrySet()) {
                NDArray other = slow.parameters().get(p.getKey());
                assertEquals(0, HeadFixtures.relativeError(p.getValue(), other), "same init " + p.getKey());
                double err = HeadFixtures.relativeError(p.getValue().getGradient(), other.getGradient());
                assertTrue(err <= tolerance, p.getKey() + " gradient differs by " + err);
            }
        }
    }

    private static NDArray backward(ProbeHead head, NDArray tokens, NDArray weights) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = head.forward(tokens, true);
            collector.backward(logits.mul(weights).sum());
            return logits;
        }
    }

    /** EP with M=1 against a direct double-precision computation of docs/heads.md#efficient from the head's tensors. */
    @Test
    void singleQueryMatchesHandComputation() {
        TokenLayout layout = new TokenLayout(7, 8, 1, 2, 3);
        try (NDManager manager = NDManager.newBaseManager();
             PooledProbe head = REGISTRY.create("efficient", new ProbeOptions(1, 2, 0), layout, 3, manager, 2, DataType.FLOAT64)) {
            NDArray tokens = HeadFixtures.tokens(manager, layout, 2, 4, DataType.FLOAT64);
            double[] x = tokens.toDoubleArray();
            double[] u = head.parameters().get("pool.queries").toDoubleArray();
            double[] wv = head.parameters().get("pool.v.weight").toDoubleArray();
            double[] pooled = head.pooled(tokens).toDoubleArray();
            int t = 7, n = 6, d = 8, dp = 4;
            for (int b = 0; b < 2; b++) {
                double[] logits = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < d; k++) logits[i] += u[k] * x[(b * t + 1 + i) * d + k] / Math.sqrt(d);
                    max = Math.max(max, logits[i]);
                }
                double z = 0;
                for (int i = 0; i < n; i++) z += Math.exp(logits[i] - max);
                for (int o = 0; o < dp; o++) {
                    double y = 0;
                    for (int i = 0; i < n; i++) {
                        double v = 0;
                        for (int k = 0; k < d; k++) v += wv[o * d + k] * x[(b * t + 1 + i) * d + k];
                        y += Math.exp(logits[i] - max) / z * v;
                    }
                    assertEquals(y, pooled[b * dp + o], 1e-12, "sample " + b + " channel " + o);
                }
            }
            assertEquals(2L * 1 * 6 * 8 + 8 * 4 + 4 * 3, head.flopsPerSample());
        }
    }

    /** docs/heads.md#flops at ViT-B/16 (N=196, D=768, EP32): 10.2M MACs pool-first, 120.6M in the study's order. */
    @Test
    void flopCountsMatchDocsTable() {
        try (NDManager manager = NDManager.newBaseManager();
             PooledProbe head = REGISTRY.create("efficient", ProbeOptions.DEFAULTS, HeadFixtures.VIT_B, 1000, manager, 0, DataType.FLOAT32)) {
            EfficientPooling ep = (EfficientPooling) head.pooling();
            assertEquals(10.2e6, ep.poolFirstFlops(), 0.05e6);
            assertEquals(120.6e6, ep.projectAllFlops(), 0.05e6);
            assertEquals(ep.poolFirstFlops() + 768 * 1000, head.flopsPerSample());
        }
    }
}
