package io.glimpse.train.probe;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
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
            return assertThrows(TrainInputException.class,
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

    @Test
    void headsMustDivideTheWidth() {
        String message = refusal("aim", new ProbeOptions(32, 1, 5), LAYOUT);
        assertEquals("--heads 5 does not divide D=32 (probe aim); allowed: 1, 2, 4, 8, 16, 32", message);
    }

    @Test
    void studyDefaultHeadsShrinkToADivisorOfTheWidth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TokenLayout d48 = new TokenLayout(10, 48, 1, 3, 3);
            assertEquals(12, REGISTRY.create("esimpool", ProbeOptions.DEFAULTS, d48, 3, manager, 0).optionsUsed().get("heads"));
            assertEquals(16, REGISTRY.create("aim", ProbeOptions.DEFAULTS, d48, 3, manager, 0).optionsUsed().get("heads"));
            assertEquals(8, REGISTRY.create("esimpool", ProbeOptions.DEFAULTS, LAYOUT, 3, manager, 0).optionsUsed().get("heads"));
            TokenLayout d40 = new TokenLayout(10, 40, 1, 3, 3);
            assertEquals(10, REGISTRY.create("esimpool", ProbeOptions.DEFAULTS, d40, 3, manager, 0).optionsUsed().get("heads"));
            assertEquals(10, REGISTRY.create("jepa", ProbeOptions.DEFAULTS, d40, 3, manager, 0).optionsUsed().get("heads"));
            assertEquals(2, REGISTRY.create("jepa", new ProbeOptions(32, 1, 2), d40, 3, manager, 0).optionsUsed().get("heads"));
        }
    }

    @Test
    void gridPoolingsNeedASquareGrid() {
        TokenLayout noGrid = new TokenLayout(17, 32, 1, 0, 0);
        TokenLayout oblong = new TokenLayout(13, 32, 1, 3, 4);
        for (String probe : new String[] {"clip", "cbam", "dolg"}) {
            assertTrue(refusal(probe, ProbeOptions.DEFAULTS, noGrid).startsWith("--probe " + probe + " needs a square patch grid, but the cache's layout has no grid"), probe);
            assertTrue(refusal(probe, ProbeOptions.DEFAULTS, oblong).contains("has 3x4 (12 patch tokens)"), probe);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            // token-set poolings take any layout
            REGISTRY.create("efficient", ProbeOptions.DEFAULTS, noGrid, 3, manager, 0).close();
            REGISTRY.create("siglip", ProbeOptions.DEFAULTS, oblong, 3, manager, 0).close();
        }
    }
}
