package io.glimpse.cli;

import io.glimpse.cli.testing.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlimpseCliTest {
    @Test
    void versionAndHelp() {
        CliRun v = CliRun.of("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("glimpse "), v.out());
        CliRun h = CliRun.of("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("Usage: glimpse"), h.out());
    }

    @Test
    void unknownOptionIsBadUsageWithOneLine() {
        CliRun.of("--no-such-option").assertRefused("--no-such-option");
    }

    @Test
    void jvmFlagsFromConfJvmOptionsAreApplied() {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }
}
