package io.glimpse.train.run;

import ai.djl.ndarray.NDList;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.train.loop.EpochRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * {@code runs/<run-id>/} of one head: {@code epochs.csv} (appended as epochs finish), {@code head-best.ndlist} and
 * {@code head-last.ndlist} (DJL NDList encoding, arrays named {@code param/...} and {@code buffer/...}), and
 * {@code result.json}, written last through a temp file and an atomic rename so a killed run never leaves a half
 * one (a run without result.json is unfinished).
 */
public final class RunDirectory {
    public static final String RESULT = "result.json";
    public static final String EPOCHS = "epochs.csv";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // later stages (eval) may add fields to a finished result.json
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code runsDir/<runId>} (with a numeric suffix if that name is taken). */
    public static RunDirectory create(Path runsDir, String runId) {
        try {
            Files.createDirectories(runsDir);
            Path dir = runsDir.resolve(runId);
            for (int i = 2; ; i++) {
                try {
                    Files.createDirectory(dir);
                    break;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    dir = runsDir.resolve(runId + "-" + i);
                }
            }
            Files.writeString(dir.resolve(EPOCHS), "epoch,lr,loss,top1,top5,val_top1,seconds\n");
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory under " + runsDir, e);
        }
    }

    public Path path() {
        return dir;
    }

    public String runId() {
        return dir.getFileName().toString();
    }

    public void appendEpoch(EpochRecord r) {
        String val = Double.isNaN(r.valTop1()) ? "" : String.format(Locale.ROOT, "%.2f", r.valTop1());
        String line = String.format(Locale.ROOT, "%d,%.6g,%.5f,%.2f,%.2f,%s,%.3f%n",
                r.epoch(), r.lr(), r.loss(), r.top1(), r.top5(), val, r.seconds());
        try {
            Files.writeString(dir.resolve(EPOCHS), line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(EPOCHS), e);
        }
    }

    public void writeState(String name, NDList state) {
        writeAtomically(name, out -> state.encode(out));
    }

    public void writeResult(RunResult result) {
        writeAtomically(RESULT, out -> out.write(JSON.writeValueAsString(result).getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads a result.json back (tests, parity and benchmark tools). */
    public static RunResult readResult(Path resultJson) {
        try {
            return JSON.readValue(resultJson.toFile(), RunResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resultJson, e);
        }
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
