package io.glimpse.train.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.glimpse.train.TrainInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one reader and writer of {@link RunResult} as JSON. Reading refuses, with one line naming the file and the
 * member, a file that is missing, not JSON, of the wrong type somewhere, or without {@code probe} or a test accuracy
 * ({@code top1_best} or {@code top1_last}); every other member is optional.
 */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // a count written as 1.5 is a broken file, not 1
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // members of nested objects beyond the schema (a recipe's extra knob) are not worth refusing a run for
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultJson() {
    }

    /** Reads one result.json; a missing {@code run_id} is taken from the folder's name. */
    public static RunResult read(Path file) {
        RunResult r;
        try {
            r = JSON.readValue(Files.readString(file), RunResult.class);
        } catch (NoSuchFileException e) {
            throw new TrainInputException(file + ": no such file");
        } catch (MismatchedInputException e) {
            throw new TrainInputException(file + ": " + member(e) + oneLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
            throw new TrainInputException(file + ": not valid JSON (" + oneLine(e.getOriginalMessage()) + where + ")");
        } catch (IOException e) {
            throw new TrainInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (r == null) throw new TrainInputException(file + ": expected a JSON object");
        if (r.probe() == null || r.probe().isBlank()) throw new TrainInputException(file + ": missing 'probe'");
        if (r.top1Best() == null && r.top1Last() == null) {
            throw new TrainInputException(file + ": needs 'top1_best' or 'top1_last' (percent on the test split)");
        }
        if (r.complementarity() != null && Double.isNaN(r.complementarity().meanEntropy())) {
            throw new TrainInputException(file + ": 'complementarity' lacks 'entropy_mean'");
        }
        Path dir = file.toAbsolutePath().getParent();
        String runId = r.runId() != null ? r.runId() : dir == null ? file.toString() : dir.getFileName().toString();
        return r.withLocation(runId, file);
    }

    static byte[] bytes(RunResult r) {
        try {
            return (JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the result of " + r.runId(), e);
        }
    }

    static Map<String, Object> toMap(RunResult r) {
        return JSON.convertValue(r, new TypeReference<>() {
        });
    }

    private static String member(JsonMappingException e) {
        String path = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : "'" + path + "' has the wrong type: ";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
