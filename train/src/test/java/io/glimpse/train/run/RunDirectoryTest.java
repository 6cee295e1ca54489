package io.glimpse.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.train.TrainInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {
    @TempDir
    Path runs;

    static RunResult result(String probe, double top1) {
        return new RunResult(null, probe, Map.of("queries", 8, "d_out", 1), null, "backbone", "dataset", "layer", "k1", "k2",
                100L, 200L, 2, 1, top1, top1 - 1, 99.0, null, null, null, 1.5, 1.2, 0.3, 1000.0, 7.0, 0, 1, 64, 32,
                new RecipeRecord("lars", 0.4, 0.1, 1024, 3.0, 2, "warmup-cosine", 0.0, true), null, null,
                "2026-01-01T00:00:00Z", null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void everyWrittenResultNamesTheBuildThatWroteIt() throws Exception {
        RunDirectory dir = RunDirectory.create(runs, "a");
        RunResult written = dir.writeResult(result("efficient", 70));
        JsonNode json = new ObjectMapper().readTree(dir.resultFile().toFile());
        String version = json.path("glimpse_version").asText("");
        String commit = json.path("git_commit").asText("");
        assertFalse(version.isBlank() || version.contains("${"), "glimpse_version " + json);
        assertTrue(commit.matches("[0-9a-f]{40}") || commit.equals(BuildInfo.UNKNOWN), "git_commit " + json);
        assertEquals(BuildInfo.current().version(), version);
        assertEquals("a", json.path("run_id").asText());
        assertEquals(written, dir.readResult(), "read back as written");
    }

    @Test
    void unfilteredBuildPropertiesReadAsUnknown() {
        assertEquals(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN), BuildInfo.of("${project.version}", "${git.commit.id}"));
        assertEquals(BuildInfo.UNKNOWN, BuildInfo.of("1.0", "abc").commit());
        assertEquals("0123456789abcdef0123456789abcdef01234567", BuildInfo.of("1.0", "0123456789abcdef0123456789abcdef01234567").commit());
    }

    @Test
    void updatesKeepEveryOtherMemberAndUnknownOnes() throws Exception {
        RunDirectory dir = RunDirectory.create(runs, "b");
        Files.writeString(dir.resultFile(), """
                {"probe": "efficient", "top1_best": 50.0, "seed": 3, "online": true, "views": 4,
                 "backbone": {"name": "vit", "sha256": "x"}, "recipe": {"optimizer": "lars", "schedule": "cosine"}}""");
        Complementarity c = new Complementarity(Double.NaN, Double.NaN, 1.5, 2.0, 1, 9, 10, "test");
        dir.updateResult(r -> r.withComplementarity(c));
        JsonNode json = new ObjectMapper().readTree(dir.resultFile().toFile());
        assertTrue(json.get("online").asBoolean() && json.get("views").asInt() == 4, json.toString());
        assertTrue(json.path("complementarity").path("avg_similarity").isNull(), "NaN is written as null: " + json);
        assertEquals(1.5, json.path("complementarity").path("entropy_mean").asDouble());
        assertFalse(json.has("glimpse_version"), "an update does not claim the run for the current build");
        assertFalse(json.path("recipe").has("lr"), "members a file lacks stay absent");
        RunResult back = dir.readResult();
        assertEquals("vit", back.backbone());
        assertTrue(Double.isNaN(back.complementarity().avgSimilarity()));
        assertEquals(c, back.complementarity());
        assertEquals(3, back.seed());
    }

    @Test
    void takenNamesGetASuffixAndBrokenFilesAreRefusedWithTheirName() throws Exception {
        assertEquals("c", RunDirectory.create(runs, "c").runId());
        assertEquals("c-2", RunDirectory.create(runs, "c").runId());
        Path dir = runs.resolve("c");
        for (String bad : List.of("{\"probe\": ", "{\"top1_best\": 50}", "{\"probe\": \"linear\"}",
                "{\"probe\": \"linear\", \"top1_best\": \"high\"}", "{\"probe\": \"linear\", \"top1_best\": 5, \"params\": 1.5}")) {
            Files.writeString(dir.resolve(RunDirectory.RESULT), bad);
            TrainInputException e = assertThrows(TrainInputException.class, () -> RunDirectory.open(dir).readResult(), bad);
            assertTrue(e.getMessage().startsWith(dir.resolve(RunDirectory.RESULT).toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        Files.writeString(dir.resolve(RunDirectory.RESULT), "{\"probe\": \"linear\", \"top1_best\": 5, \"params\": 1.5}");
        assertTrue(assertThrows(TrainInputException.class, () -> ResultJson.read(dir.resolve(RunDirectory.RESULT)))
                .getMessage().contains("'params'"));
        assertThrows(TrainInputException.class, () -> RunDirectory.open(runs.resolve("c-2")));
    }

    @Test
    void runNamesDoNotDependOnTheOrderOptionsCameIn() {
        var time = java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        Map<String, Object> one = new java.util.LinkedHashMap<>();
        one.put("queries", 8);
        one.put("d_out", 1);
        Map<String, Object> other = new java.util.LinkedHashMap<>();
        other.put("d_out", 1);
        other.put("queries", 8);
        String a = RunNames.head(time, "efficient", one, "hidden_state_4", 0.1, 0, 0);
        assertEquals(a, RunNames.head(time, "efficient", other, "hidden_state_4", 0.1, 0, 0));
        assertEquals(a, RunNames.head(time, "efficient", Map.of("queries", 8, "d_out", 1), "hidden_state_4", 0.1, 0, 0));
        assertEquals("20260102-030405-efficient-dout1-queries8-hidden_state_4-blr0.1-s0", a);
        assertNotEquals(a, RunNames.head(time, "efficient", Map.of("queries", 16, "d_out", 1), "hidden_state_4", 0.1, 0, 0));
    }
}
