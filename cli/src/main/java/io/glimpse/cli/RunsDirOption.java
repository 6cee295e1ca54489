package io.glimpse.cli;

import io.glimpse.train.run.RunDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --runs DIR} option of the commands that write run folders (a picocli mixin), and the folder it names. */
public final class RunsDirOption {
    @Option(names = "--runs", paramLabel = "DIR", description = "runs folder to write into (default: $GLIMPSE_RUNS, else ./runs)")
    Path dir;

    /** The folder given on the command line, else $GLIMPSE_RUNS, else ./runs (docs/result-json.md#runs-folder). */
    public Path dir() {
        return dir != null ? dir : RunDirectory.defaultRunsDir();
    }
}
