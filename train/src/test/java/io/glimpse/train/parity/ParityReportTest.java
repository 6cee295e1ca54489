package io.glimpse.train.parity;

import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.RecipeRecord;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParityReportTest {
    private static final String REFERENCE = """
            {"recipe": {"epochs": 30},
             "layers": {
              "hidden_state_4": [
                {"probe": "linear", "opts": {}, "options_used": {}, "seed": 0, "params": 1290, "best_top1": 73.8,
                 "best_epoch": 29, "last_top1": 73.71, "train_seconds": 28.5},
                {"probe": "efficient", "opts": {"queries": 8, "d_out": 1}, "options_used": {"queries": 8}, "seed": 0,
                 "params": 18698, "best_top1": 77.96, "best_epoch": 22, "last_top1": 77.76, "train_seconds": 210.7},
                {"probe": "efficient", "opts": {"queries": 32, "d_out": 1}, "options_used": {"queries": 32}, "seed": 0,
                 "params": 21770, "best_top1": 77.96, "best_epoch": 27, "last_top1": 77.91, "train_seconds": 517.1},
                {"probe": "aim", "opts": {}, "options_used": {"heads": 16}, "seed": 0, "params": 34186,
                 "best_top1": 79.93, "best_epoch": 29, "last_top1": 79.88, "train_seconds": 348.8}],
              "last": [
                {"probe": "linear", "opts": {}, "options_used": {}, "seed": 0, "params": 1290, "best_top1": 73.56,
                 "best_epoch": 30, "last_top1": 73.56, "train_seconds": 10}]}}
            """;

    private static void result(Path runs, String id, String probe, Map<String, Object> options, String layer, int epochs,
                               double best, double last, String created) {
        RunResult r = new RunResult(id, probe, options, null, "b", "d", layer, "k", "t", 1290L, 1280L, epochs, 20, best, last,
                95.0, null, null, null, 10.0, 9.0, 1.0, 6000.0, 0.0, 0, 3, 59392, 10000,
                new RecipeRecord("lars", 0.4, 0.1, 1024, 3.0, epochs, "warmup-cosine", 0.0, true), null, null, created,
                null, null, null, null, null, null, null, null, null, null);
        RunDirectory.create(runs, id).writeResult(r);
    }

    @Test
    void matchesNewestRunPerConfigurationAndComputesDeltas(@TempDir Path dir) throws Exception {
        Path ref = dir.resolve("reference.json");
        Files.writeString(ref, REFERENCE);
        Path runs = dir.resolve("runs");
        result(runs, "old-linear", "linear", Map.of(), "hidden_state_4", 30, 70.0, 70.0, "2026-01-01T00:00:00Z");
        result(runs, "new-linear", "linear", Map.of(), "hidden_state_4", 30, 74.1, 73.0, "2026-01-02T00:00:00Z");
        result(runs, "ep8", "efficient", Map.of("queries", 8, "d_out", 1), "hidden_state_4", 30, 76.9, 76.9, "2026-01-02T00:00:00Z");
        result(runs, "ep32-short", "efficient", Map.of("queries", 32, "d_out", 1), "hidden_state_4", 5, 70.0, 70.0, "2026-01-03T00:00:00Z");
        result(runs, "aim", "aim", Map.of("heads", 16), "hidden_state_4", 30, 79.2, 79.0, "2026-01-02T00:00:00Z");
        result(runs, "last-linear", "linear", Map.of(), "last_hidden_state", 30, 73.5, 73.5, "2026-01-02T00:00:00Z");

        List<ParityRow> rows = ParityReport.rows(ref, runs);
        assertEquals(5, rows.size());
        ParityRow linear = rows.get(0);
        assertEquals("new-linear", linear.runId());
        assertEquals(0.3, linear.deltaBest(), 1e-9);
        assertEquals(-0.71, linear.deltaLast(), 1e-9);
        assertTrue(linear.withinTarget());
        ParityRow ep8 = rows.get(1);
        assertEquals(-1.06, ep8.deltaBest(), 1e-9);
        assertFalse(ep8.withinTarget(), "efficient has the 0.5 target");
        assertNull(rows.get(2).top1Best(), "a 5-epoch run does not stand in for the 30-epoch reference");
        assertTrue(rows.get(3).withinTarget(), "aim has the 1.0 target: -0.73 is within");
        assertEquals("last_hidden_state", rows.get(4).layer());
        assertEquals("last-linear", rows.get(4).runId());

        Path json = dir.resolve("out/parity.json");
        Path md = dir.resolve("out/parity.md");
        ParityReport.write(rows, ref, json, md);
        String table = Files.readString(md);
        assertTrue(table.contains("| linear | - | hidden_state_4 | 1,290 (1,290) | 74.10 @20 | 73.80 @29 | +0.30 |") && table.contains("| yes | 9 (0) |"), table);
        assertTrue(table.contains("not run"), table);
        assertTrue(table.contains("4 of 5 reference configurations run; 3 within target."), table);
        assertTrue(Files.readString(json).contains("\"within_target\" : 3"));
    }

    /** make parity compares against testdata/reference.json: every configuration in it must be one this build trains. */
    @Test
    void theCommittedReferenceNamesOnlyKnownProbes(@TempDir Path dir) {
        String root = System.getProperty("glimpse.root");
        assertNotNull(root, "glimpse.root (the repository root) is set by surefire");
        Path ref = Path.of(root, "testdata", "reference.json");
        assertTrue(Files.isRegularFile(ref), ref + " missing (see testdata/README.md)");
        List<ParityRow> rows = ParityReport.rows(ref, dir.resolve("no-runs"));
        assertFalse(rows.isEmpty());
        ProbeRegistry registry = new ProbeRegistry();
        for (ParityRow r : rows) {
            assertTrue(registry.names().contains(r.probe()), r.probe());
            assertTrue(r.referenceParams() > 0 && r.referenceTop1Best() > 0, r.probe());
            assertNull(r.top1Best(), "no runs given");
        }
    }
}
