package io.glimpse.cli.eval;

import io.glimpse.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportFromARunsFolder() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/lin"));
        Files.writeString(run.resolve("result.json"), """
                {"probe":"linear","params":1290,"flops_per_sample":1290,"top1_best":73.8,"train_seconds":28}""");
        Path out = tmp.resolve("reports/x");
        CliRun.of("eval", "--runs", tmp.resolve("runs").toString(), "--out", out.toString()).assertOk();
        for (String f : new String[]{"report.md", "index.html", "results.csv", "results.json", "top1_vs_params.png", "top1_vs_params.svg"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
    }

    @Test
    void aBadResultFileIsExitCodeTwoWithOneLineNamingIt() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/broken"));
        Files.writeString(run.resolve("result.json"), "{\"probe\": \"linear\", \"top1_best\": [1]}");
        CliRun.of("eval", "--runs", tmp.resolve("runs").toString(), "--out", tmp.resolve("r").toString())
                .assertRefused(run.resolve("result.json").toString(), "top1_best");
    }
}
