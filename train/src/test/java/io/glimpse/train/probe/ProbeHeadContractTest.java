package io.glimpse.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.glimpse.cache.TokenLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every registered head (timm-style contract test): counts, shapes, gradients, determinism, BN eval. */
class ProbeHeadContractTest {
    /**
     * {@code params} of testdata/reference.json (testdata/README.md#reference-accuracies) at D=128, N=49, C=10;
     * abmilp and dinovit from their formulas in docs/heads.md#parameter-counts.
     */
    private static final Map<String, Long> AT_128 = Map.ofEntries(
            Map.entry("linear", 1_290L), Map.entry("linear-gap", 1_290L),
            Map.entry("efficient", 21_770L), Map.entry("efficient-all", 21_770L),
            Map.entry("abmilp", 5L * 128 * 128 + 3 * 128 + 1 + 1_290), Map.entry("abmilp-none", 17_931L),
            Map.entry("simpool", 34_314L), Map.entry("esimpool", 1_546L), Map.entry("clip", 73_994L),
            Map.entry("siglip", 199_178L), Map.entry("aim", 34_186L), Map.entry("cbam", 3_438L),
            Map.entry("coca", 173_962L), Map.entry("cait", 200_202L), Map.entry("dinovit", 12L * 128 * 128 + 10 * 128 + 1_290),
            Map.entry("jepa", 199_690L), Map.entry("dolg", 18_187L), Map.entry("cae", 68_106L));
    /** The D=768 column of docs/heads.md#parameter-counts: D=768, N=196, C=1000 (EP with M=32). */
    private static final Map<String, Long> AT_768 = Map.ofEntries(
            Map.entry("linear", 769_000L), Map.entry("linear-gap", 769_000L),
            Map.entry("efficient", 1_383_400L), Map.entry("efficient-all", 1_383_400L),
            Map.entry("abmilp", 3_720_425L), Map.entry("abmilp-none", 1_360_361L),
            Map.entry("simpool", 1_950_184L), Map.entry("esimpool", 770_536L), Map.entry("clip", 3_284_200L),
            Map.entry("siglip", 7_854_568L), Map.entry("aim", 1_949_416L), Map.entry("cbam", 842_828L),
            Map.entry("coca", 1_805_032L), Map.entry("cait", 7_860_712L), Map.entry("dinovit", 7_854_568L),
            Map.entry("jepa", 7_857_640L), Map.entry("dolg", 1_361_897L), Map.entry("cae", 3_135_976L));

    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void shut() {
        manager.close();
    }

    static Stream<String> probes() {
        return REGISTRY.names().stream();
    }

    /** Listed probes and the benchmark-only variant. */
    static Stream<String> everyProbe() {
        return Stream.concat(probes(), Stream.of(ProbeRegistry.EFFICIENT_PROJECT_ALL));
    }

    @Test
    void everyStudyProbeIsRegistered() {
        assertEquals(AT_768.keySet(), Set.copyOf(REGISTRY.names()));
    }

    @ParameterizedTest
    @MethodSource("probes")
    void parameterCountsMatchReferenceAndSpec(String name) {
        assertCount(name, HeadFixtures.FIXTURE, 10, AT_128.get(name));
        assertCount(name, HeadFixtures.VIT_B, 1000, AT_768.get(name));
        try (ProbeHead head = REGISTRY.create(name, new ProbeOptions(8, 2, 0), HeadFixtures.OTHER, 7, manager, 1)) {
            assertEquals(HeadFixtures.elementCount(head), head.parameterCount(), name + " formula vs arrays at D=48");
        }
    }

    private static void assertCount(String name, TokenLayout layout, int classes, long expected) {
        try (ProbeHead head = build(name, layout, classes, 0)) {
            assertEquals(expected, head.parameterCount(), name + " formula at D=" + layout.dim());
            assertEquals(expected, HeadFixtures.elementCount(head), name + " arrays at D=" + layout.dim());
        }
    }

    @ParameterizedTest
    @MethodSource("probes")
    void logitsHaveShapeAndEveryParameterGetsGradient(String name) {
        // D=64 gives cbam's ReLU bottleneck 4 units: with 2, all of them can be dead for a whole batch
        TokenLayout layout = new TokenLayout(17, 64, 1, 4, 4);
        try (NDManager batch = manager.newSubManager(); ProbeHead head = build(name, layout, 5, 3)) {
            wakeZeroParameters(head);
            NDArray tokens = HeadFixtures.tokens(batch, layout, 6, 11, DataType.FLOAT32);
            NDArray weights = HeadFixtures.tokens(batch, new TokenLayout(1, 5, 0, 0, 0), 6, 12, DataType.FLOAT32).reshape(6, 5);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = head.forward(tokens, true);
                assertEquals(new Shape(6, 5), logits.getShape());
                collector.backward(logits.mul(weights).sum());
            }
            for (Map.Entry<String, NDArray> p : head.parameters().entrySet()) {
                double norm = p.getValue().getGradient().abs().sum().toType(DataType.FLOAT64, false).getDouble();
                String what = name + " " + p.getKey();
                if (ZERO_GRADIENT_BY_DESIGN.contains(what)) {
                    // softmax ignores a constant shift of every logit; float rounding may leave crumbs
                    assertTrue(norm < 1e-5, what + " should get (almost) no gradient, got " + norm);
                } else {
                    assertTrue(norm > 0 && Double.isFinite(norm), what + " gets no gradient");
                }
            }
            if (name.equals("coca")) {
                NDArray rows = head.parameters().get("pool.queries").getGradient().abs().sum(new int[] {1});
                assertTrue(rows.get(0).getFloat() > 0, "coca query 0 gets gradient");
                assertEquals(0f, rows.get("1:").sum().getFloat(), "coca queries 1..195 never reach the output");
            }
        }
    }

    /**
     * Gradients that are zero by construction, as in the study: CAE's unused norm2_cross; biases that shift every
     * attention logit by the same amount (abmilp's score bias, cait's key bias, the shift of cae's key LayerNorm).
     */
    private static final Set<String> ZERO_GRADIENT_BY_DESIGN = Set.of(
            "cae pool.norm2_cross.weight", "cae pool.norm2_cross.bias", "cae pool.norm1_k.bias",
            "abmilp pool.score.fc2.bias", "abmilp-none pool.score.fc2.bias", "cait pool.attn.k.bias");

    /**
     * Gives all-zero tensors (CAE's query, zero-init biases) small random values: with CAE's query at exactly zero
     * its whole key path has zero gradient for the first step, which would hide a broken key path.
     */
    private static void wakeZeroParameters(ProbeHead head) {
        Random random = new Random(5);
        for (NDArray p : head.parameters().values()) {
            if (p.abs().max().getFloat() != 0) continue;
            float[] v = new float[Math.toIntExact(p.getShape().size())];
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.02 * random.nextGaussian());
            p.set(v);
        }
    }

    /** A few plain SGD steps on one batch lower the cross-entropy: the head trains and stays finite. */
    @ParameterizedTest
    @MethodSource("probes")
    void sgdStepsLowerTheLoss(String name) {
        try (NDManager batch = manager.newSubManager(); ProbeHead head = build(name, HeadFixtures.SMALL, 5, 4)) {
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 20, 31, DataType.FLOAT32);
            float[] labels = new float[20 * 5];
            for (int i = 0; i < 20; i++) labels[i * 5 + i % 5] = 1;
            NDArray oneHot = batch.create(labels, new Shape(20, 5));
            double first = Double.NaN, last = Double.NaN;
            // a small step: raw SGD at 0.1 can overshoot into NaN on heads with gates and affine BN (cbam, seen in CI)
            for (int step = 0; step < 10; step++) {
                try (NDManager stepManager = batch.newSubManager()) {
                    NDArray x = tokens.duplicate();
                    x.attach(stepManager);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = head.forward(x, true).logSoftmax(1).mul(oneHot).sum().neg().div(20);
                        collector.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) first = last;
                    }
                    for (NDArray p : head.parameters().values()) {
                        NDArray g = p.getGradient();
                        p.subi(g.mul(0.05));
                        g.subi(g);
                    }
                }
            }
            assertTrue(Double.isFinite(last) && last < 0.95 * first, name + ": loss " + first + " -> " + last);
        }
    }

    @ParameterizedTest
    @MethodSource("probes")
    void sameSeedSameHeadOtherSeedOtherHead(String name) {
        try (NDManager batch = manager.newSubManager();
             ProbeHead a = build(name, HeadFixtures.SMALL, 5, 7);
             ProbeHead b = build(name, HeadFixtures.SMALL, 5, 7);
             ProbeHead c = build(name, HeadFixtures.SMALL, 5, 8)) {
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 4, 1, DataType.FLOAT32);
            float[] ya = a.forward(tokens, false).toFloatArray();
            assertArrayEquals(ya, b.forward(tokens, false).toFloatArray(), name);
            float[] yc = c.forward(tokens, false).toFloatArray();
            for (int i = 0; i < ya.length; i++) if (ya[i] != yc[i]) return;
            fail(name + ": seeds 7 and 8 give the same logits");
        }
    }

    @ParameterizedTest
    @MethodSource("probes")
    void evalUsesRunningStatisticsOfTheWrapperBatchNorm(String name) {
        try (NDManager batch = manager.newSubManager(); PooledProbe head = (PooledProbe) build(name, HeadFixtures.SMALL, 5, 3)) {
            NDArray train = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 8, 21, DataType.FLOAT32);
            head.forward(train, true);
            NDArray runningMean = head.buffers().get("bn.running_mean");
            NDArray runningVar = head.buffers().get("bn.running_var");
            assertTrue(runningMean.abs().sum().getFloat() > 0, name + ": training did not move the running mean");
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 3, 22, DataType.FLOAT32);
            NDArray normed = head.pooled(tokens).sub(runningMean).div(runningVar.add(1e-6).sqrt());
            NDArray expected = normed.matMul(head.parameters().get("classifier.weight").transpose())
                    .add(head.parameters().get("classifier.bias"));
            assertTrue(HeadFixtures.relativeError(head.forward(tokens, false), expected) < 1e-5, name);
        }
    }

    @Test
    void halfPrecisionTokensAreWidened() {
        try (NDManager batch = manager.newSubManager(); ProbeHead head = build("efficient", HeadFixtures.SMALL, 5, 3)) {
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 4, 21, DataType.FLOAT32);
            NDArray half = tokens.toType(DataType.FLOAT16, false);
            NDArray expected = head.forward(half.toType(DataType.FLOAT32, false), false);
            assertArrayEquals(expected.toFloatArray(), head.forward(half, false).toFloatArray());
        }
    }

    @Test
    void runningMeanFollowsTorchMomentum() {
        try (NDManager batch = manager.newSubManager(); PooledProbe head = (PooledProbe) build("linear-gap", HeadFixtures.SMALL, 5, 3)) {
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 8, 21, DataType.FLOAT32);
            head.forward(tokens, true);
            NDArray expected = head.pooled(tokens).mean(new int[] {0}).mul(0.1);
            assertTrue(HeadFixtures.relativeError(head.buffers().get("bn.running_mean"), expected) < 1e-6);
        }
    }

    /**
     * The registry's attention-map fact is what the head does: heads said to have maps expose [B, M, N] maps over the
     * tokens they read (rows are distributions), the others none.
     */
    @ParameterizedTest
    @MethodSource("everyProbe")
    void attentionMapsCoverTheTokensRead(String name) {
        try (NDManager batch = manager.newSubManager(); ProbeHead head = build(name, HeadFixtures.SMALL, 5, 3)) {
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 3, 1, DataType.FLOAT32);
            Optional<NDArray> maps = head.attention(tokens);
            assertEquals(REGISTRY.find(name).orElseThrow().attentionMaps(), maps.isPresent(), name);
            if (maps.isEmpty()) return;
            Shape shape = maps.get().getShape();
            long n = name.equals("efficient-all") ? HeadFixtures.SMALL.tokens() : HeadFixtures.SMALL.patches();
            assertEquals(3, shape.get(0), name);
            assertEquals(n, shape.get(2), name);
            float[] rowSums = maps.get().sum(new int[] {2}).toFloatArray();
            for (float r : rowSums) {
                // clip and cait leave out the share on their own extra token (mean token / class token)
                if (name.equals("clip") || name.equals("cait")) assertTrue(r > 0 && r <= 1 + 1e-5, name + " " + r);
                else assertEquals(1f, r, 1e-5, name);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("probes")
    void forwardLeavesNothingInTheHeadsManager(String name) {
        try (NDManager batch = manager.newSubManager(); NDManager owner = manager.newSubManager();
             ProbeHead head = REGISTRY.create(name, ProbeOptions.DEFAULTS, HeadFixtures.SMALL, 5, owner, 3)) {
            int before = owner.getManagedArrays().size();
            NDArray tokens = HeadFixtures.tokens(batch, HeadFixtures.SMALL, 4, 1, DataType.FLOAT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(head.forward(tokens, true).sum());
            }
            head.forward(tokens, false);
            head.attention(tokens);
            assertEquals(before, owner.getManagedArrays().size(), name);
        }
    }

    private static ProbeHead build(String name, TokenLayout layout, int classes, long seed) {
        return REGISTRY.create(name, ProbeOptions.DEFAULTS, layout, classes, manager, seed);
    }
}
