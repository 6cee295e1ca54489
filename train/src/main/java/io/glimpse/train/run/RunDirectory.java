package io.glimpse.train.run;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.loop.EpochRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The one owner of a run folder, {@code runs/<run-id>/}: {@code result.json} ({@link RunResult}, written last through
 * a temporary file and an atomic rename, so a folder without it is a run still going or one that died), and for a
 * trained head {@code epochs.csv} (appended as epochs finish) and its states {@code head-best.ndlist} (the selected
 * epoch, what eval rebuilds) and {@code head-last.ndlist} ({@link HeadState}).
 */
public final class RunDirectory {
    public static final String RESULT = "result.json";
    public static final String EPOCHS = "epochs.csv";
    public static final String BEST_STATE = "head-best.ndlist";
    public static final String LAST_STATE = "head-last.ndlist";
    private static final String EPOCHS_HEADER = "epoch,lr,loss,top1,top5,val_top1,seconds\n";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * The default runs folder (docs/result-json.md#runs-folder): {@code $GLIMPSE_RUNS} if set, else {@code runs/}
     * under the working directory.
     */
    public static Path defaultRunsDir() {
        String env = System.getenv("GLIMPSE_RUNS");
        return env == null || env.isBlank() ? Paths.get("runs") : Paths.get(env);
    }

    /** Creates {@code runsDir/<name>}, or {@code <name>-2}, {@code -3}, ... when that name is taken. */
    public static RunDirectory create(Path runsDir, String name) {
        try {
            Files.createDirectories(runsDir);
            for (int i = 1; ; i++) {
                try {
                    return new RunDirectory(Files.createDirectory(runsDir.resolve(i == 1 ? name : name + "-" + i)));
                } catch (FileAlreadyExistsException e) {
                    // taken (a run of the same second): try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + runsDir, e);
        }
    }

    /** An existing run, given as its folder or its result.json; refused when it has no result.json. */
    public static RunDirectory open(Path folderOrResult) {
        Path dir = Files.isDirectory(folderOrResult) ? folderOrResult : folderOrResult.toAbsolutePath().getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve(RESULT))) {
            throw new TrainInputException(folderOrResult + ": not a finished run (no " + RESULT + ")");
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public String runId() {
        return dir.getFileName().toString();
    }

    public Path resultFile() {
        return dir.resolve(RESULT);
    }

    public void appendEpoch(EpochRecord r) {
        String val = Double.isNaN(r.valTop1()) ? "" : String.format(Locale.ROOT, "%.2f", r.valTop1());
        String line = String.format(Locale.ROOT, "%d,%.6g,%.5f,%.2f,%.2f,%s,%.3f%n",
                r.epoch(), r.lr(), r.loss(), r.top1(), r.top5(), val, r.seconds());
        Path file = dir.resolve(EPOCHS);
        try {
            if (!Files.exists(file)) Files.writeString(file, EPOCHS_HEADER);
            Files.writeString(file, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    public void writeStates(NDList best, NDList last) {
        writeAtomically(LAST_STATE, last::encode);
        writeAtomically(BEST_STATE, best::encode);
    }

    /** The selected epoch's state, decoded into {@code manager}. */
    public NDList readBestState(NDManager manager) {
        Path file = dir.resolve(BEST_STATE);
        if (!Files.isRegularFile(file)) throw new TrainInputException(dir + ": no saved head state (" + BEST_STATE + ")");
        try (InputStream in = Files.newInputStream(file)) {
            return NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new TrainInputException(file + ": cannot read the head state (" + e.getMessage() + ")");
        }
    }

    /** Writes a new run's result, recording the build that wrote it; returns it as written. */
    public RunResult writeResult(RunResult result) {
        return write(result.withBuild(BuildInfo.current()));
    }

    public RunResult readResult() {
        return ResultJson.read(resultFile());
    }

    /** Rewrites result.json with {@code change} applied: members it does not touch (the build included) stay as they were. */
    public RunResult updateResult(UnaryOperator<RunResult> change) {
        return write(change.apply(readResult()));
    }

    private RunResult write(RunResult result) {
        RunResult located = result.withLocation(runId(), resultFile());
        byte[] bytes = ResultJson.bytes(located);
        writeAtomically(RESULT, out -> out.write(bytes));
        return located;
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private void writeAtomically(String name, Writer writer) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
