package io.glimpse.spark;

import io.glimpse.cli.Glimpse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `glimpse extract --spark local[2]` finds the engine through the class path, as bin/glimpse sets it up. */
class SparkCliTest {
    @Test
    void extractCommandRunsOnSparkWhenTheModuleIsPresent(@TempDir Path tmp) throws Exception {
        Path yaml = BadImages.folder(tmp.resolve("ds"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Glimpse.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("extract", "--backbone", SparkTestData.root().resolve("conf/backbones/fmnist-mae-vit.yaml").toString(),
                "--dataset", yaml.toString(), "--split", "train", "--skip-bad", "--rows-per-shard", "8", "--batch", "4",
                "--device", "cpu", "--no-progress", "--cache", tmp.resolve("cache").toString(), "--spark", "local[2]");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("23 rows") && out.toString().contains("1 skipped"), out.toString());
    }
}
