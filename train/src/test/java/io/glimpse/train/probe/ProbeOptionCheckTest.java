package io.glimpse.train.probe;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options are refused with one line that names the option and the allowed values. */
class ProbeOptionCheckTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final TokenLayout LAYOUT = new TokenLayout(17, 32, 1, 4, 4);

    private static String refusal(String probe, ProbeOptions options, TokenLayout layout) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return assertThrows(BadInputException.class,
                    () -> REGISTRY.create(probe, options, layout, 10, manager, 0)).getMessage();
        }
    }

    @Test
    void unknownProbeListsTheNames() {
        String message = refusal("effcient", ProbeOptions.DEFAULTS, LAYOUT);
        assertTrue(message.contains("--probe 'effcient'") && message.contains("linear-gap") && message.contains("efficient"), message);
    }

    @Test
    void queriesMustDivideTheValueWidth() {
        String message = refusal("efficient", new ProbeOptions(5, 1, 0), LAYOUT);
        assertEquals("--queries 5 does not divide D/d_out=32 (probe efficient); allowed: 1, 2, 4, 8, 16, 32", message);
        assertTrue(refusal("efficient", new ProbeOptions(32, 2, 0), LAYOUT).startsWith("--queries 32 does not divide D/d_out=16"));
        assertTrue(refusal("efficient", new ProbeOptions(1, 3, 0), LAYOUT).startsWith("--d-out 3 does not divide D=32"));
    }

    @Test
    void clsProbesNeedAPrefixToken() {
        TokenLayout noCls = new TokenLayout(16, 32, 0, 4, 4);
        assertTrue(refusal("linear", ProbeOptions.DEFAULTS, noCls).contains("--probe linear reads the CLS"));
        assertTrue(refusal("efficient-all", ProbeOptions.DEFAULTS, noCls).contains("--probe efficient-all reads the CLS"));
    }
}
