package io.glimpse.eval.result;

import io.glimpse.eval.EvalInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the result.json files the report covers. Each location may be a runs folder (its sub-folders'
 * result.json files), one run folder, or a result.json file. Default location: $GLIMPSE_RUNS, else ./runs
 * (DESIGN.md).
 */
public final class RunCollector {
    private final RunResultReader reader = new RunResultReader();

    /** The runs folder DESIGN.md names: {@code $GLIMPSE_RUNS} if set, else {@code runs/} under the working directory. */
    public static Path defaultRunsDir() {
        String env = System.getenv("GLIMPSE_RUNS");
        return env == null || env.isBlank() ? Paths.get("runs") : Paths.get(env);
    }

    public List<RunResult> collect(List<Path> locations) {
        List<RunResult> out = new ArrayList<>();
        for (Path location : locations) out.addAll(collect(location));
        if (out.isEmpty()) throw new EvalInputException("no " + RunResultReader.FILE_NAME + " found under " + locations);
        return out;
    }

    private List<RunResult> collect(Path location) {
        if (!Files.exists(location)) throw new EvalInputException(location + ": no such runs folder or result file");
        if (Files.isRegularFile(location)) return List.of(reader.read(location));
        Path own = location.resolve(RunResultReader.FILE_NAME);
        if (Files.isRegularFile(own)) return List.of(reader.read(own));
        List<RunResult> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(location)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                Path file = child.resolve(RunResultReader.FILE_NAME);
                // a run still training has no result.json yet (the trainer writes it last): skip, don't fail
                if (Files.isRegularFile(file)) out.add(reader.read(file));
            }
        } catch (IOException e) {
            throw new EvalInputException(location + ": cannot list (" + e.getMessage() + ")");
        }
        return out;
    }
}
