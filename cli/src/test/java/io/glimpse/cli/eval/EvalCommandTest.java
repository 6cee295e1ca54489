package io.glimpse.cli.eval;

import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {
    @TempDir
    Path tmp;

    private int run(StringWriter err, String... args) {
        CommandLine cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void writesTheReportFromARunsFolder() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/lin"));
        Files.writeString(run.resolve("result.json"), """
                {"probe":"linear","params":1290,"flops_per_sample":1290,"top1_best":73.8,"train_seconds":28}""");
        Path out = tmp.resolve("reports/x");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "eval", "--runs", tmp.resolve("runs").toString(), "--out", out.toString()), err.toString());
        for (String f : new String[]{"report.md", "index.html", "results.csv", "results.json", "top1_vs_params.png", "top1_vs_params.svg"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
    }

    @Test
    void aBadResultFileIsExitCodeTwoWithOneLineNamingIt() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/broken"));
        Files.writeString(run.resolve("result.json"), "{\"probe\": \"linear\", \"top1_best\": [1]}");
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "eval", "--runs", tmp.resolve("runs").toString(), "--out", tmp.resolve("r").toString()));
        String msg = err.toString().strip();
        assertTrue(msg.contains(run.resolve("result.json").toString()) && msg.contains("top1_best"), msg);
        assertEquals(1, msg.lines().count(), msg);
    }
}
