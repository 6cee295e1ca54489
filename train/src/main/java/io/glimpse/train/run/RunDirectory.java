package io.glimpse.train.run;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.loop.EpochRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The one owner of a run folder, {@code runs/<run-id>/}: {@code result.json} ({@link RunResult}, written last through
 * a temporary file and an atomic rename, so a folder without it is a run still going or one that died), and for a
 * trained head {@code epochs.csv} (appended as epochs finish) and its states {@code head-best.ndlist} (the selected
 * epoch, what eval rebuilds) and {@code head-last.ndlist} ({@link HeadState}). The heads trained in one pass also
 * share a pass folder, {@code runs/.passes/<key>/} ({@link PassDirectory}), which holds the pass's checkpoint.
 */
public final class RunDirectory {
    public static final String RESULT = "result.json";
    public static final String EPOCHS = "epochs.csv";
    public static final String BEST_STATE = "head-best.ndlist";
    public static final String LAST_STATE = "head-last.ndlist";
    private static final String EPOCHS_HEADER = "epoch,lr,loss,top1,top5,val_top1,mean_per_class,seconds\n";

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

    /** A run folder a pass named when it started (see {@link PassDirectory}), made again if it has since been removed. */
    static RunDirectory reopen(Path runsDir, String runId) {
        try {
            return new RunDirectory(Files.createDirectories(runsDir.resolve(runId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + runsDir.resolve(runId), e);
        }
    }

    /** Whether result.json exists: it is written last, so the run is complete. */
    public boolean finished() {
        return Files.isRegularFile(resultFile());
    }

    /** Removes the folder of a run that never finished (no result.json); a finished run is kept. */
    void deleteIfUnfinished() {
        if (!Files.isDirectory(dir) || finished()) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the unfinished run " + dir, e);
        }
    }

    static void deleteIfPresent(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
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
        Path file = dir.resolve(EPOCHS);
        try {
            if (!Files.exists(file)) Files.writeString(file, EPOCHS_HEADER);
            Files.writeString(file, epochLine(r), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /**
     * Replaces epochs.csv with exactly {@code records} (none: no file), atomically: a resumed pass drops the lines of
     * epochs its checkpoint does not hold, so no epoch is listed twice.
     */
    public void rewriteEpochs(List<EpochRecord> records) {
        Path file = dir.resolve(EPOCHS);
        if (records.isEmpty()) {
            deleteIfPresent(file);
            return;
        }
        StringBuilder csv = new StringBuilder(EPOCHS_HEADER);
        for (EpochRecord r : records) csv.append(epochLine(r));
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static String epochLine(EpochRecord r) {
        String val = Double.isNaN(r.valTop1()) ? "" : String.format(Locale.ROOT, "%.2f", r.valTop1());
        String perClass = Double.isNaN(r.meanPerClass()) ? "" : String.format(Locale.ROOT, "%.2f", r.meanPerClass());
        return String.format(Locale.ROOT, "%d,%.6g,%.5f,%.2f,%.2f,%s,%s,%.3f%n",
                r.epoch(), r.lr(), r.loss(), r.top1(), r.top5(), val, perClass, r.seconds());
    }

    public void writeStates(NDList best, NDList last) {
        AtomicFiles.write(dir.resolve(LAST_STATE), last::encode);
        AtomicFiles.write(dir.resolve(BEST_STATE), best::encode);
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
        AtomicFiles.write(resultFile(), out -> out.write(bytes));
        return located;
    }
}
