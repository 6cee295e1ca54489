package io.glimpse.eval.flops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heads' analytic {@code flopsPerSample()} against an independent count: the multiply-adds actually executed
 * by {@link ReferenceForwards}, a plain-Java forward written from docs/heads.md over the head's own weights. The
 * forward is first held against the head's DJL forward (same logits), so the count is of the computation the
 * head really performs, not of a second formula.
 */
class FlopCountTest {
    private static final int BATCH = 3;

    @ParameterizedTest(name = "{0} D={1} grid={2}x{2} M={3} C={4}")
    @CsvSource({
            "linear, 32, 3, 4, 5", "linear-gap, 32, 3, 4, 5", "efficient, 32, 3, 4, 5", "jepa, 32, 3, 4, 5",
            "linear, 48, 4, 8, 7", "linear-gap, 48, 4, 8, 7", "efficient, 48, 4, 8, 7", "jepa, 48, 4, 8, 7",
            "efficient, 24, 5, 24, 3"})
    void analyticFlopsEqualTheCountedMultiplyAdds(String probe, int dim, int grid, int queries, int classes) {
        TokenLayout layout = new TokenLayout(1 + grid * grid, dim, 1, grid, grid);
        Random rnd = new Random(dim * 31L + queries);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
             ProbeHead head = new ProbeRegistry().create(probe, new ProbeOptions(queries, 1, 0), layout, classes, m, 3)) {
            // non-trivial running statistics, so BN is part of what must match
            float[] mean = new float[dim], var = new float[dim];
            for (int i = 0; i < dim; i++) {
                mean[i] = (float) rnd.nextGaussian() * 0.1f;
                var[i] = 0.5f + rnd.nextFloat();
            }
            head.buffers().get("bn.running_mean").set(mean);
            head.buffers().get("bn.running_var").set(var);
            Map<String, float[]> weights = new HashMap<>();
            head.parameters().forEach((k, v) -> weights.put(k, v.toFloatArray()));
            head.buffers().forEach((k, v) -> weights.put(k, v.toFloatArray()));

            float[] x = new float[BATCH * layout.rowValues()];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            NDArray tokens = m.create(x, new Shape(BATCH, layout.tokens(), dim));
            float[] djl = head.forward(tokens, false).toFloatArray();

            MacCounter counter = new MacCounter();
            ReferenceForwards ref = new ReferenceForwards(weights, dim, classes, counter);
            Object heads = head.optionsUsed().get("heads");
            for (int b = 0; b < BATCH; b++) {
                double[][] all = new double[layout.tokens()][dim];
                for (int t = 0; t < layout.tokens(); t++) for (int d = 0; d < dim; d++) all[t][d] = x[(b * layout.tokens() + t) * dim + d];
                double[][] patches = java.util.Arrays.copyOfRange(all, 1, all.length);
                double[] logits = switch (probe) {
                    case "linear" -> ref.linear(all, 1, false);
                    case "linear-gap" -> ref.linear(all, 1, true);
                    case "efficient" -> ref.efficient(patches, queries);
                    case "jepa" -> ref.jepa(patches, ((Number) heads).intValue());
                    default -> throw new IllegalArgumentException(probe);
                };
                for (int c = 0; c < classes; c++) {
                    assertEquals(djl[b * classes + c], logits[c], 1e-4 * (1 + Math.abs(logits[c])),
                            probe + ": the reference forward must compute what the head computes (sample " + b + ", class " + c + ")");
                }
            }
            assertEquals(0, counter.perSample % BATCH);
            assertEquals(counter.perSample / BATCH, head.flopsPerSample(), probe + " analytic vs counted multiply-adds");
            if (probe.equals("jepa")) assertTrue(counter.perBatch > 0, "the query projection and key folding ran, once per sample here");
        }
    }
}
