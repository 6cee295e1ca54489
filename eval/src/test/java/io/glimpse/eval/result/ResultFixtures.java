package io.glimpse.eval.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-written result.json files in the schema of docs/result-json.md#fields, for the report tests. */
public final class ResultFixtures {
    private ResultFixtures() {
    }

    public static Path write(Path runs, String runId, String json) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(runId));
        return Files.writeString(dir.resolve("result.json"), json);
    }

    /** A complete result in the documented schema. */
    public static String full(String probe, int queries, long params, long flops, double top1, double seconds) {
        return """
                {"probe": "%s", "options": {"queries": %d, "d_out": 1, "heads": 0},
                 "backbone": "fmnist-mae-vit", "dataset": "fashion-mnist", "layer": "hidden_state_4",
                 "cache_key": "abc123", "params": %d, "flops_per_sample": %d, "epochs": 30, "best_epoch": 27,
                 "top1_best": %s, "top1_last": %s, "top5_last": 99.1, "train_seconds": %s,
                 "samples_per_second": 4200.5, "extract_seconds": 95.2, "seed": 0,
                 "recipe": {"optimizer": "lars", "blr": 0.1, "batch": 1024, "warmup": 3, "schedule": "cosine"}}
                """.formatted(probe, queries, params, flops, top1, top1 - 0.1, seconds);
    }
}
