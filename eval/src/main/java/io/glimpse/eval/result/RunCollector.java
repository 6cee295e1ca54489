package io.glimpse.eval.result;

import io.glimpse.eval.EvalInputException;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the result.json files the report covers. Each location may be a runs folder (its sub-folders'
 * result.json files), one run folder, or a result.json file.
 */
public final class RunCollector {
    public List<RunResult> collect(List<Path> locations) {
        List<RunResult> out = new ArrayList<>();
        for (Path location : locations) out.addAll(collect(location));
        if (out.isEmpty()) throw new EvalInputException("no " + RunDirectory.RESULT + " found under " + locations);
        return out;
    }

    private List<RunResult> collect(Path location) {
        if (!Files.exists(location)) throw new EvalInputException(location + ": no such runs folder or result file");
        if (Files.isRegularFile(location)) return List.of(ResultJson.read(location));
        Path own = location.resolve(RunDirectory.RESULT);
        if (Files.isRegularFile(own)) return List.of(ResultJson.read(own));
        List<RunResult> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(location)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                Path file = child.resolve(RunDirectory.RESULT);
                // a run still training has no result.json yet (the trainer writes it last): skip, don't fail
                if (Files.isRegularFile(file)) out.add(ResultJson.read(file));
            }
        } catch (IOException e) {
            throw new EvalInputException(location + ": cannot list (" + e.getMessage() + ")");
        }
        return out;
    }
}
