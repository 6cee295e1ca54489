package io.glimpse.train.run;

import io.glimpse.train.TrainInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionGroupTest {
    @TempDir
    Path runs;

    /** A finished run folder with the given accuracies (null: left out of result.json). */
    private RunResult run(String id, double testBest, Double val, Double testAtVal) throws Exception {
        Path dir = Files.createDirectories(runs.resolve(id));
        String json = "{\"run_id\":\"" + id + "\",\"probe\":\"linear\",\"top1_best\":" + testBest
                + (val == null ? "" : ",\"val_top1_best\":" + val + ",\"test_top1_at_val_best\":" + testAtVal) + "}";
        Files.writeString(dir.resolve(RunDirectory.RESULT), json);
        return ResultJson.read(dir.resolve(RunDirectory.RESULT));
    }

    @Test
    void theBestValidationRunWinsWhateverItsTestAccuracyAndEveryRunRecordsIt() throws Exception {
        List<RunResult> group = new ArrayList<>();
        group.add(run("a", 90, 70.0, 88.0));   // best on test, not on validation
        group.add(run("b", 80, 75.0, 79.0));   // best on validation
        group.add(run("c", 85, 75.0, 84.0));   // ties b on validation: the earlier run wins
        assertEquals(1, SelectionGroup.winner(group));
        List<RunResult> written = SelectionGroup.record("g1", group);
        for (int i = 0; i < 3; i++) {
            RunResult back = ResultJson.read(runs.resolve(List.of("a", "b", "c").get(i)).resolve(RunDirectory.RESULT));
            assertEquals(written.get(i), back);
            assertEquals(new SelectionRecord("g1", "val_top1", 3, "b", i == 1), back.selection());
        }
        assertTrue(Files.readString(runs.resolve("b").resolve(RunDirectory.RESULT)).contains("\"chosen\" : true"));
    }

    @Test
    void aRunWithoutValidationIsRefusedNamingTheOption() throws Exception {
        List<RunResult> group = List.of(run("a", 90, 70.0, 88.0), run("b", 80, null, null));
        TrainInputException e = assertThrows(TrainInputException.class, () -> SelectionGroup.winner(group));
        assertTrue(e.getMessage().contains("--val-fraction") && e.getMessage().contains("b"), e.getMessage());
    }
}
