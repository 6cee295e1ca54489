package io.glimpse.eval.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.report.Document;
import io.glimpse.eval.report.MarkdownRenderer;
import io.glimpse.eval.result.ResultFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudySectionTest {
    @TempDir
    Path tmp;

    /** A trained head's result.json; {@code val} null means no validation split. */
    private static String run(String probe, String options, long params, long flops, int epochs, String optimizer,
                              double blr, double wd, Double val, Double testAtVal, double best, String created) {
        return """
                {"run_id": "%s-%s-%s", "probe": "%s", "options": %s, "backbone": "fmnist-mae-vit", "dataset": "fashion-mnist",
                 "layer": "hidden_state_4", "params": %d, "flops_per_sample": %d, "epochs": %d, "best_epoch": %d,
                 "top1_best": %s, "top1_last": %s, %s "test_top1_at_val_best": %s, "train_seconds": 12.5,
                 "train_cpu_seconds": 20.0, "heads_in_pass": 8, "seed": 0, "created": "%s",
                 "recipe": {"optimizer": "%s", "blr": %s, "lr": %s, "batch": 1024, "epochs": %d, "weight_decay": %s}}
                """.formatted(created, probe, optimizer, probe, options, params, flops, epochs, epochs - 1, best, best,
                val == null ? "" : "\"val_top1_best\": " + val + ", \"val_best_epoch\": " + (epochs - 2) + ",",
                testAtVal, created, optimizer, blr, blr * 4, epochs, wd);
    }

    private Path study() throws Exception {
        Path dir = tmp.resolve("study");
        String ep = "{\"queries\": 32, \"d_out\": 1}";
        // linear: adamw wins on validation (75 > 74) although lars has the better test number at its chosen epoch
        ResultFixtures.write(dir.resolve("grid-lars"), "lin-lars", run("linear", "{}", 1290, 1280, 30, "lars", 0.1, 0, 74.0, 73.0, 73.5, "2026-01-01T00:00:00Z"));
        ResultFixtures.write(dir.resolve("grid-adamw"), "lin-adamw", run("linear", "{}", 1290, 1280, 30, "adamw", 1e-3, 0.05, 75.0, 72.5, 76.0, "2026-01-01T01:00:00Z"));
        // efficient: a tie on validation goes to the earlier run (lars), whatever the test split says
        ResultFixtures.write(dir.resolve("grid-lars"), "ep-lars", run("efficient", ep, 21770, 419072, 30, "lars", 0.1, 0, 78.0, 77.5, 78.2, "2026-01-01T00:00:00Z"));
        ResultFixtures.write(dir.resolve("grid-adamw"), "ep-adamw", run("efficient", ep, 21770, 419072, 30, "adamw", 3e-3, 0.05, 78.0, 79.0, 79.5, "2026-01-01T01:00:00Z"));
        ResultFixtures.write(dir.resolve("grid-lars"), "cae-lars", run("cae", "{\"heads\": 8}", 68106, 134400, 30, "lars", 0.1, 0, 85.0, 84.7, 84.9, "2026-01-01T00:00:00Z"));
        // no validation split: cannot be chosen honestly
        ResultFixtures.write(dir.resolve("grid-lars"), "simpool-noval", run("simpool", "{\"heads\": 1}", 34314, 46592, 30, "lars", 0.1, 0, null, null, 90.0, "2026-01-01T00:00:00Z"));
        // the winning linear recipe retrained longer: the plotted point
        ResultFixtures.write(dir.resolve("final"), "lin-100", run("linear", "{}", 1290, 1280, 100, "adamw", 1e-3, 0.05, 76.0, 74.0, 74.4, "2026-01-02T00:00:00Z"));
        // a pass checkpoint folder is not a run
        Files.createDirectories(dir.resolve("grid-lars/.passes/abc"));
        Files.writeString(dir.resolve("commands.jsonl"), """
                {"phase": "grid lars", "wall_seconds": 100.5, "cpu_seconds": 180.0, "passes": 1, "heads": 24}
                {"phase": "grid adamw", "wall_seconds": 50.0, "cpu_seconds": 90.0, "passes": 2, "heads": 24}
                {"phase": "protocol", "wall_seconds": 600.0, "cpu_seconds": 900.0, "passes": 5}
                """);
        return dir;
    }

    @Test
    void choosesOnValidationMarksTheFrontsAndWritesStudyJson() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("report"));
        StudyRuns runs = StudyRuns.read(study());
        assertEquals(7, runs.runs().size());
        Document.Section section = StudySection.write(runs, out);

        JsonNode json = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        List<String> chosen = new ArrayList<>();
        for (JsonNode p : json.get("probes")) chosen.add(p.get("probe").asText() + "/" + p.get("epochs").asInt() + "/" + p.get("optimizer").asText());
        assertEquals(List.of("cae/30/lars", "efficient/30/lars", "linear/30/adamw", "linear/100/adamw"), chosen);
        JsonNode ep = json.get("probes").get(1);
        assertEquals(77.5, ep.get("test_top1_val_selected").asDouble());
        assertEquals(78.2, ep.get("top1_best_epoch_on_test").asDouble());
        assertEquals(2, json.get("probes").get(2).get("recipes_tried").asInt());

        // points at the longest schedule: linear at 100 epochs (74.0), EP 77.5, cae 84.7
        assertEquals(List.of("linear", "efficient M=32", "cae"), texts(json.get("pareto_front").get("params")));
        // EP costs more FLOPs than cae and is less accurate: dominated
        assertEquals(List.of("linear", "cae"), texts(json.get("pareto_front").get("flops")));
        assertFalse(json.get("probes").get(1).get("on_flops_front").asBoolean());
        assertTrue(json.get("probes").get(3).get("on_flops_front").asBoolean());
        assertFalse(json.get("probes").get(2).get("on_params_front").asBoolean(), "the 30-epoch linear choice is not a plotted point");

        assertEquals(3, json.get("budget").get("passes").asInt());
        assertEquals(270.0, json.get("budget").get("cpu_seconds").asDouble(), "the protocol study is not a training command");
        assertEquals(2, json.get("budget").get("commands").asInt());
        assertEquals(900.0, json.get("budget").get("protocol_study").get("cpu_seconds").asDouble());
        assertEquals(7, json.get("runs").size());

        for (String stem : List.of(StudySection.PARAMS_STEM, StudySection.FLOPS_STEM)) {
            assertTrue(Files.size(out.resolve(stem + ".png")) > 1000, stem);
            assertTrue(Files.readString(out.resolve(stem + ".svg")).contains("<svg"), stem);
        }
        String md = MarkdownRenderer.render(new Document("t", List.of(section)));
        assertTrue(md.contains("Pareto front, parameters"), md);
        assertTrue(md.contains("| linear | 100 | 1 | adamw blr 0.001 wd 0.05 | 98 | 76.00 | 74.00 | 74.40 @99 |"), md);
        assertTrue(md.contains("3 training pass(es), 270 CPU s"), md);
        assertTrue(md.contains("Not selectable (no validation split): 2026-01-01T00:00:00Z-simpool-lars"), md);
        assertTrue(md.contains("![" ) || md.contains(StudySection.PARAMS_STEM), md);
    }

    @Test
    void aFolderWithoutRunsIsOneClearError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/phase"));
        EvalInputException e = assertThrows(EvalInputException.class, () -> StudyRuns.read(empty.getParent()));
        assertTrue(e.getMessage().startsWith("--study "), e.getMessage());
        assertThrows(EvalInputException.class, () -> StudyRuns.read(tmp.resolve("missing")));
    }

    @Test
    void aBadCommandsLineNamesTheFileAndLine() throws Exception {
        Path dir = study();
        Files.writeString(dir.resolve("commands.jsonl"), "{\"passes\": 1}\nnot json\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> StudyRuns.read(dir));
        assertTrue(e.getMessage().contains("commands.jsonl:2"), e.getMessage());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
