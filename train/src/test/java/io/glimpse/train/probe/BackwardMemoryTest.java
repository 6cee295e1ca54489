package io.glimpse.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.glimpse.cache.TokenLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Backward must read only memory that PyTorch owns or that stays reachable until it has run. Between forward and
 * backward this test collects garbage, lets the direct-buffer cleaner free what became unreachable, and then
 * allocates (zeroed) direct buffers that reuse the freed memory; every gradient must be bit-identical to an
 * undisturbed step. A head that lets autograd keep a tensor over a Java buffer nothing references any more (DJL's
 * {@code mul(Number)} scalars) gets zero or garbage gradients here.
 */
class BackwardMemoryTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final TokenLayout LAYOUT = new TokenLayout(17, 64, 1, 4, 4);
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<String> probes() {
        return Stream.concat(REGISTRY.names().stream(), Stream.of(ProbeRegistry.EFFICIENT_PROJECT_ALL));
    }

    @ParameterizedTest
    @MethodSource("probes")
    void gradientsDoNotDependOnWhatTheCollectorFreesBeforeBackward(String name) throws InterruptedException {
        Map<String, float[]> calm = gradients(name, false);
        Map<String, float[]> disturbed = gradients(name, true);
        for (Map.Entry<String, float[]> e : calm.entrySet()) {
            assertArrayEquals(e.getValue(), disturbed.get(e.getKey()), name + " " + e.getKey());
        }
    }

    private static Map<String, float[]> gradients(String name, boolean disturb) throws InterruptedException {
        try (NDManager batch = manager.newSubManager();
             ProbeHead head = REGISTRY.create(name, ProbeOptions.DEFAULTS, LAYOUT, 5, manager, 3)) {
            NDArray tokens = HeadFixtures.tokens(batch, LAYOUT, 6, 11, DataType.FLOAT32);
            List<ByteBuffer> reused = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = head.forward(tokens, true).square().sum();
                if (disturb) reused = freeAndReuse();
                collector.backward(loss);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> p : head.parameters().entrySet()) {
                out.put(p.getKey(), p.getValue().getGradient().toType(DataType.FLOAT32, false).toFloatArray());
            }
            reused.clear();
            return out;
        }
    }

    /** Collects until a fresh unreachable object is gone, gives the cleaner time, then takes freed small blocks back. */
    private static List<ByteBuffer> freeAndReuse() throws InterruptedException {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(5);
        }
        System.gc();
        Thread.sleep(50);
        List<ByteBuffer> held = new ArrayList<>();
        for (int size : new int[] {8, 16, 32, 64}) {
            for (int i = 0; i < 256; i++) held.add(ByteBuffer.allocateDirect(size));
        }
        return held;
    }
}
