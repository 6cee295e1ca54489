package io.glimpse.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cli.testing.CliRun;
import io.glimpse.cli.testing.TinyCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipe-study section over real grids: the recipe chosen on validation across optimizers, the plots, study.json. */
class RecipeStudyTest {
    @TempDir
    Path tmp;

    @Test
    void choosesEachProbesRecipeOnValidationAcrossBothGrids() throws Exception {
        TinyCaches.TrainTest caches = TinyCaches.trainAndTest(tmp.resolve("cache"), 256, 64, 4);
        Path study = tmp.resolve("study");
        for (String[] grid : List.of(new String[] {"grid-lars", "lars", "0.03,0.3"}, new String[] {"grid-adamw", "adamw", "1e-3,1e-2"})) {
            CliRun.of("train", "--probe", "linear,simpool", "--optimizer", grid[1], "--blr", grid[2], "--epochs", "3",
                    "--warmup", "1", "--batch", "32", "--val-fraction", "0.25", "--select", "val",
                    "--train-cache", caches.train(), "--test-cache", caches.test(), "--cache", caches.root(),
                    "--runs", study.resolve(grid[0]).toString(), "--quiet").assertOk();
        }
        Files.writeString(study.resolve("commands.jsonl"), "{\"phase\": \"grid-lars\", \"cpu_seconds\": 3.5, \"passes\": 1}\n");

        // the expected choice, straight from the result files: per probe the best val_top1_best of the 4 recipes
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> best = new HashMap<>();
        try (Stream<Path> files = Files.find(study, 3, (p, a) -> p.getFileName().toString().equals("result.json"))) {
            for (Path f : files.sorted().toList()) {
                JsonNode r = json.readTree(f.toFile());
                best.merge(r.get("probe").asText(), r, (a, b) -> b.get("val_top1_best").asDouble() > a.get("val_top1_best").asDouble()
                        || (b.get("val_top1_best").asDouble() == a.get("val_top1_best").asDouble()
                        && b.get("created").asText().compareTo(a.get("created").asText()) < 0) ? b : a);
            }
        }
        assertEquals(2, best.size());

        Path report = tmp.resolve("report");
        CliRun.of("eval", "--runs", study.resolve("grid-lars").toString(), study.resolve("grid-adamw").toString(), "--all",
                "--study", study.toString(), "--out", report.toString(), "--quiet").assertOk();
        JsonNode out = json.readTree(report.resolve("study.json").toFile());
        assertEquals(2, out.get("probes").size());
        for (JsonNode p : out.get("probes")) {
            JsonNode expected = best.get(p.get("probe").asText());
            assertEquals(expected.get("run_id").asText(), p.get("run_id").asText(), p.toString());
            assertEquals(expected.get("test_top1_at_val_best").asDouble(), p.get("test_top1_val_selected").asDouble());
            assertEquals(4, p.get("recipes_tried").asInt());
        }
        assertEquals(8, out.get("runs").size());
        assertEquals(3.5, out.get("budget").get("cpu_seconds").asDouble());
        assertTrue(out.get("pareto_front").get("params").size() >= 1);
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("## Recipe study") && md.contains("(study_top1_vs_params.png)") && md.contains("(study_top1_vs_flops.png)"), md);
        assertTrue(Files.isRegularFile(report.resolve("study_top1_vs_flops.svg")));
        assertTrue(Files.readString(report.resolve("index.html")).contains("Pareto front"));
    }

    @Test
    void aStudyFolderWithoutRunsIsRefusedInOneLine() throws Exception {
        Files.createDirectories(tmp.resolve("empty/grid"));
        Path run = Files.createDirectories(tmp.resolve("runs/r1"));
        Files.writeString(run.resolve("result.json"), "{\"probe\": \"linear\", \"epochs\": 1, \"top1_best\": 50.0}");
        CliRun.of("eval", "--runs", tmp.resolve("runs").toString(), "--study", tmp.resolve("empty").toString(), "--out",
                tmp.resolve("r").toString(), "--quiet").assertRefused("--study");
    }
}
