package io.glimpse.eval.result;

import io.glimpse.eval.EvalInputException;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading hand-written result.json files in the schema of docs/result-json.md#fields, collecting runs folders, keeping
 * the newest runs.
 */
class RunCollectorTest {
    @TempDir
    Path runs;

    @Test
    void readsEveryDesignField() throws Exception {
        Path f = ResultFixtures.write(runs, "r1", ResultFixtures.full("efficient", 32, 21770, 9000, 77.96, 517));
        RunResult r = ResultJson.read(f);
        assertEquals("efficient", r.probe());
        assertEquals("r1", r.runId());
        assertEquals(21770L, r.params());
        assertEquals(9000L, r.flopsPerSample());
        assertEquals(77.96, r.top1Best());
        assertEquals(27, r.bestEpoch());
        assertEquals(95.2, r.extractSeconds());
        assertEquals(32, r.options().get("queries"));
        assertEquals("lars", r.recipe().optimizer());
        assertNull(r.valTop1Best());
        assertNull(r.complementarity());
    }

    @Test
    void optionalFieldsMayBeMissingOrNull() throws Exception {
        Path f = ResultFixtures.write(runs, "r2", """
                {"probe": "linear", "top1_last": 70.5, "params": null, "backbone": {"name": "vit", "sha256": "x"}}""");
        RunResult r = ResultJson.read(f);
        assertEquals(70.5, r.top1());
        assertNull(r.params());
        assertNull(r.trainSeconds());
        assertEquals("vit", r.backbone());
    }

    @Test
    void badFilesAreRefusedWithTheirName() throws Exception {
        Path notJson = ResultFixtures.write(runs, "a", "{\"probe\": ");
        Path noProbe = ResultFixtures.write(runs, "b", "{\"top1_best\": 50}");
        Path noAcc = ResultFixtures.write(runs, "c", "{\"probe\": \"linear\"}");
        Path badType = ResultFixtures.write(runs, "d", "{\"probe\": \"linear\", \"top1_best\": \"high\"}");
        Path badInt = ResultFixtures.write(runs, "e", "{\"probe\": \"linear\", \"top1_best\": 5, \"params\": 1.5}");
        for (Path p : List.of(notJson, noProbe, noAcc, badType, badInt, runs.resolve("missing/result.json"))) {
            TrainInputException e = assertThrows(TrainInputException.class, () -> ResultJson.read(p));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        assertTrue(assertThrows(TrainInputException.class, () -> ResultJson.read(badType)).getMessage().contains("top1_best"));
        assertTrue(assertThrows(TrainInputException.class, () -> ResultJson.read(noProbe)).getMessage().contains("probe"));
    }

    @Test
    void collectorScansRunsFoldersAndSkipsRunsStillTraining() throws Exception {
        ResultFixtures.write(runs, "r1", ResultFixtures.full("linear", 1, 1290, 1290, 73.8, 28));
        ResultFixtures.write(runs, "r2", ResultFixtures.full("jepa", 1, 199690, 400000, 79.7, 377));
        Files.createDirectories(runs.resolve("r3-in-progress"));
        RunCollector c = new RunCollector();
        assertEquals(2, c.collect(List.of(runs)).size());
        assertEquals(1, c.collect(List.of(runs.resolve("r1"))).size());
        assertEquals(1, c.collect(List.of(runs.resolve("r2/result.json"))).size());
        assertTrue(assertThrows(EvalInputException.class, () -> c.collect(List.of(runs.resolve("nope"))))
                .getMessage().contains("nope"));
        assertThrows(EvalInputException.class, () -> c.collect(List.of(runs.resolve("r3-in-progress"))));
    }

    @Test
    void selectionKeepsTheNewestRunOfEachConfiguration() throws Exception {
        Path old = ResultFixtures.write(runs, "a-old", ResultFixtures.full("linear", 1, 1290, 1290, 70.0, 28));
        ResultFixtures.write(runs, "b-new", ResultFixtures.full("linear", 1, 1290, 1290, 73.0, 28));
        ResultFixtures.write(runs, "c-other", ResultFixtures.full("efficient", 8, 18698, 5000, 77.9, 200));
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        List<RunResult> kept = RunSelection.latestPerConfiguration(new RunCollector().collect(List.of(runs)));
        assertEquals(2, kept.size());
        assertEquals(73.0, kept.stream().filter(r -> r.probe().equals("linear")).findFirst().orElseThrow().top1());
    }
}
