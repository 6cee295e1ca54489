package io.glimpse.train.probe;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Analytic MACs at ViT-B/16 (N=196, D=768, C=1000) against docs/heads.md#flops, for the heads whose computed form is
 * the study's (the pool-first heads are cheaper by design; EP's two forms are in EfficientPoolFirstTest).
 */
class FlopCountTest {
    private static final ProbeRegistry REGISTRY = new ProbeRegistry();
    private static final long CLASSIFIER = 768L * 1000;

    private static long pooling(String probe) {
        try (NDManager manager = NDManager.newBaseManager();
             ProbeHead head = REGISTRY.create(probe, ProbeOptions.DEFAULTS, HeadFixtures.VIT_B, 1000, manager, 0)) {
            return head.flopsPerSample() - CLASSIFIER;
        }
    }

    @Test
    void directFormHeadsMatchDocsTable() {
        assertEquals(1_446e6, pooling("dinovit"), 1e6);
        assertEquals(115.8e6, pooling("dolg"), 0.2e6);
    }

    @Test
    void poolFirstHeadsAreCheaperThanTheStudysForm() {
        // abmilp re-associated: 2ND^2 + 2N^2D + 2ND + D^2 against the direct form's 637.2M
        assertEquals(2L * 196 * 768 * 768 + 2L * 196 * 196 * 768 + 2L * 196 * 768 + 768L * 768, pooling("abmilp"));
        assertTrue(pooling("abmilp") < 637.2e6 / 2, "abmilp");
        assertTrue(pooling("aim") < 231.5e6 / 20, "aim");
        assertTrue(pooling("siglip") < 237.4e6 / 20, "siglip");
        assertTrue(pooling("cae") < 232.7e6 / 20, "cae");
        assertTrue(pooling("linear") == 0 && pooling("linear-gap") == 0);
    }
}
