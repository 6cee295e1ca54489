package io.glimpse.train.run;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.train.TrainInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The folder of one training pass, {@code runs/.passes/<key>/}, key = {@link PassRequest#key()}: the same request
 * finds the same folder, whenever and however often it is run. It holds {@code pass.json} (the request and the run
 * ids of its heads, written once when the pass starts), after every completed epoch {@code checkpoint.json}
 * ({@link PassCheckpoint}) and the arrays it names, {@code checkpoint-<epochs>.ndlist} ({@link CheckpointArrays}), and
 * {@code .lock}, held by the process training the pass. The arrays file is written before the JSON that names it,
 * each atomically, so a kill at any point leaves the last complete checkpoint readable; older arrays files are then
 * removed. A pass is finished when every run it names has its result.json; its checkpoint is then removed.
 */
public final class PassDirectory implements AutoCloseable {
    public static final String PASSES = ".passes";
    public static final String PASS = "pass.json";
    public static final String CHECKPOINT = "checkpoint.json";
    private static final String ARRAYS_PREFIX = "checkpoint-";
    private static final String ARRAYS_SUFFIX = ".ndlist";
    private static final String LOCK = ".lock";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** pass.json. */
    record PassRecord(String key, Map<String, String> identity, Map<String, String> options, List<String> runs, String created) {
        PassRequest request() {
            return new PassRequest(identity, options);
        }
    }

    private final Path runsDir;
    private final Path dir;
    private final PassRequest request;
    private final Lock lock;
    private PassRecord record;

    private PassDirectory(Path runsDir, Path dir, PassRequest request, Lock lock, PassRecord record) {
        this.runsDir = runsDir;
        this.dir = dir;
        this.request = request;
        this.lock = lock;
        this.record = record;
    }

    /**
     * The pass of {@code request} under {@code runsDir}, locked for this process. An unfinished pass with the same
     * identity but other options is refused, naming the difference; with {@code fresh} it is discarded instead, as is
     * this request's own pass (its unfinished run folders and its checkpoint; finished runs are kept), so training
     * starts over. A refusal writes nothing.
     */
    public static PassDirectory open(Path runsDir, PassRequest request, boolean fresh) {
        Path passes = runsDir.resolve(PASSES);
        Path own = passes.resolve(request.key());
        List<Path> conflicting = new ArrayList<>();
        for (Path other : folders(passes)) {
            if (other.equals(own)) continue;
            Optional<PassRecord> rec = readRecordQuietly(other);
            if (rec.isEmpty() || !rec.get().identity().equals(request.identity()) || finished(runsDir, rec.get())) continue;
            if (!fresh) throw changedOptions(request, rec.get(), other);
            conflicting.add(other);
        }
        Optional<PassRecord> mine = fresh ? Optional.empty() : readRecord(own);
        if (mine.isPresent() && !request.differences(mine.get().request()).isEmpty()) throw changedOptions(request, mine.get(), own);
        for (Path other : conflicting) {
            try (Lock l = Lock.take(other)) {
                discard(runsDir, other, false);
            }
        }
        try {
            Files.createDirectories(own);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pass folder " + own, e);
        }
        Lock lock = Lock.take(own);
        try {
            if (fresh) discard(runsDir, own, true);
            return new PassDirectory(runsDir, own, request, lock, fresh ? null : readRecord(own).orElse(null));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The requests of every pass recorded under {@code runsDir} (unreadable records left out), in folder-name order. */
    public static List<PassRequest> recorded(Path runsDir) {
        List<PassRequest> out = new ArrayList<>();
        for (Path p : folders(runsDir.resolve(PASSES))) readRecordQuietly(p).ifPresent(r -> out.add(r.request()));
        return out;
    }

    public Path path() {
        return dir;
    }

    /** The run folders of the pass's heads, in pass order; empty before {@link #start}. */
    public Optional<List<RunDirectory>> runs() {
        if (record == null) return Optional.empty();
        return Optional.of(record.runs().stream().map(id -> RunDirectory.reopen(runsDir, id)).toList());
    }

    /** Records a new pass: its request and the run folders its heads write into. */
    public void start(List<RunDirectory> runs) {
        PassRecord r = new PassRecord(request.key(), request.identity(), request.options(),
                runs.stream().map(RunDirectory::runId).toList(), Instant.now().toString());
        byte[] bytes = json(r);
        AtomicFiles.write(dir.resolve(PASS), out -> out.write(bytes));
        record = r;
    }

    /** Whether every head of the pass has its result.json. */
    public boolean finished() {
        return record != null && finished(runsDir, record);
    }

    /** The last complete checkpoint, if any epoch completed. */
    public Optional<PassCheckpoint> checkpoint() {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(file.toFile(), PassCheckpoint.class));
        } catch (IOException e) {
            throw new TrainInputException(file + ": unreadable checkpoint (" + oneLine(e.getMessage()) + "); --fresh starts the pass over");
        }
    }

    /** The arrays of {@code checkpoint}, decoded into {@code manager}. */
    public NDList checkpointArrays(PassCheckpoint checkpoint, NDManager manager) {
        Path file = dir.resolve(arraysName(checkpoint.epochs()));
        try (InputStream in = Files.newInputStream(file)) {
            return NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new TrainInputException(file + ": unreadable checkpoint (" + oneLine(e.getMessage()) + "); --fresh starts the pass over");
        }
    }

    /** Replaces the checkpoint: arrays first, then the JSON naming them, then older arrays files go. */
    public void writeCheckpoint(PassCheckpoint checkpoint, NDList arrays) {
        String name = arraysName(checkpoint.epochs());
        AtomicFiles.write(dir.resolve(name), arrays::encode);
        byte[] bytes = json(checkpoint);
        AtomicFiles.write(dir.resolve(CHECKPOINT), out -> out.write(bytes));
        removeArrays(name);
    }

    /** Removes the checkpoint once every head's results are written: a finished pass keeps pass.json only. */
    public void finish() {
        RunDirectory.deleteIfPresent(dir.resolve(CHECKPOINT));
        removeArrays(null);
    }

    @Override
    public void close() {
        lock.close();
    }

    private void removeArrays(String keep) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(ARRAYS_PREFIX) && n.endsWith(ARRAYS_SUFFIX) && !n.equals(keep)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the pass folder " + dir, e);
        }
    }

    private static String arraysName(int epochs) {
        return ARRAYS_PREFIX + epochs + ARRAYS_SUFFIX;
    }

    private static boolean finished(Path runsDir, PassRecord r) {
        return !r.runs().isEmpty() && r.runs().stream().allMatch(id -> Files.isRegularFile(runsDir.resolve(id).resolve(RunDirectory.RESULT)));
    }

    /** Removes a pass's unfinished run folders and its pass folder (with {@code keepFolder}: all but the lock this process holds). */
    private static void discard(Path runsDir, Path pass, boolean keepFolder) {
        readRecordQuietly(pass).ifPresent(r -> r.runs().forEach(id -> {
            Path run = runsDir.resolve(id);
            if (Files.isDirectory(run)) RunDirectory.reopen(runsDir, id).deleteIfUnfinished();
        }));
        try (Stream<Path> files = Files.walk(pass)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                boolean kept = p.equals(pass) || p.getFileName().toString().equals(LOCK);
                if (!keepFolder || !kept) Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot discard the pass " + pass, e);
        }
    }

    private static TrainInputException changedOptions(PassRequest request, PassRecord saved, Path folder) {
        List<PassRequest.Difference> diffs = request.differences(saved.request());
        String requested = diffs.stream().map(PassRequest.Difference::requested).collect(Collectors.joining(", "));
        String there = diffs.stream().map(PassRequest.Difference::saved).collect(Collectors.joining(", "));
        return new TrainInputException(requested + (diffs.size() == 1 ? " differs" : " differ") + " from the unfinished pass in "
                + folder + " (" + there + "): give its options to resume it, or --fresh to start over");
    }

    private static List<Path> folders(Path passes) {
        if (!Files.isDirectory(passes)) return List.of();
        try (Stream<Path> s = Files.list(passes)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + passes, e);
        }
    }

    private static Optional<PassRecord> readRecord(Path pass) {
        Path file = pass.resolve(PASS);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(file.toFile(), PassRecord.class));
        } catch (IOException e) {
            throw new TrainInputException(file + ": unreadable (" + oneLine(e.getMessage()) + "); --fresh starts the pass over");
        }
    }

    /** Another pass's record; one that cannot be read is not this request's concern. */
    private static Optional<PassRecord> readRecordQuietly(Path pass) {
        try {
            return readRecord(pass);
        } catch (TrainInputException e) {
            return Optional.empty();
        }
    }

    private static byte[] json(Object value) {
        try {
            return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }

    /** An exclusive lock on a pass folder's {@code .lock} file; the OS drops it when the process dies, however it dies. */
    private record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static Lock take(Path pass) {
            Path file = pass.resolve(LOCK);
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock();
                if (l != null) return new Lock(ch, l);
            } catch (OverlappingFileLockException e) {
                // held by this very process
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + file, e);
            }
            closeQuietly(ch);
            throw new TrainInputException(pass + ": another glimpse train is training this pass right now");
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel ch) {
            if (ch == null) return;
            try {
                ch.close();
            } catch (IOException e) {
                // closing releases the lock; nothing else to do
            }
        }
    }
}
