package io.glimpse.eval.report;

import io.glimpse.eval.result.ResultFixtures;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProbeLabelsTest {
    @TempDir
    Path tmp;

    private RunResult run(String id, String optimizer, double blr, double wd, int epochs, int seed) throws Exception {
        return ResultJson.read(ResultFixtures.write(tmp, id, """
                {"run_id": "%s", "probe": "linear", "options": {}, "layer": "hidden_state_4", "epochs": %d,
                 "top1_best": 70.0, "seed": %d, "recipe": {"optimizer": "%s", "blr": %s, "weight_decay": %s}}
                """.formatted(id, epochs, seed, optimizer, blr, wd)));
    }

    @Test
    void aRecipeGridIsToldApartByItsRecipeNotByRunIds() throws Exception {
        RunResult a = run("a", "lars", 0.1, 0, 30, 0);
        RunResult b = run("b", "adamw", 1e-4, 0.05, 30, 0);
        RunResult c = run("c", "adamw", 1e-4, 0.05, 100, 0);
        Map<RunResult, String> labels = ProbeLabels.of(List.of(a, b, c));
        assertEquals("linear lars blr 0.1 30 ep", labels.get(a));
        assertEquals("linear adamw blr 0.0001 wd 0.05 30 ep", labels.get(b));
        assertEquals("linear adamw blr 0.0001 wd 0.05 100 ep", labels.get(c));
    }

    @Test
    void runsThatDifferOnlyInSeedKeepTheSeedLabel() throws Exception {
        RunResult a = run("a", "lars", 0.1, 0, 30, 0);
        RunResult b = run("b", "lars", 0.1, 0, 30, 1);
        Map<RunResult, String> labels = ProbeLabels.of(List.of(a, b));
        assertEquals("linear seed 0", labels.get(a));
        assertEquals("linear seed 1", labels.get(b));
    }
}
