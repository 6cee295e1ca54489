package io.glimpse.eval.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.eval.EvalInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one {@code result.json}. Required: {@code probe} and {@code top1_best} or {@code top1_last}; everything
 * else is optional. A file that is missing, not JSON, or holds a field of the wrong type is refused with one
 * line naming the file and the field.
 */
public final class RunResultReader {
    public static final String FILE_NAME = "result.json";

    private final ObjectMapper json = new ObjectMapper();

    public RunResult read(Path file) {
        JsonNode root;
        Instant written;
        try {
            root = json.readTree(Files.readString(file));
            written = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new EvalInputException(file + ": not valid JSON (" + e.getOriginalMessage() + ", line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) throw new EvalInputException(file + ": expected a JSON object");
        Fields f = new Fields(file, root);
        String probe = f.text("probe", true);
        Double top1Best = f.number("top1_best");
        Double top1Last = f.number("top1_last");
        if (top1Best == null && top1Last == null) {
            throw new EvalInputException(file + ": needs 'top1_best' or 'top1_last' (percent on the test split)");
        }
        Path dir = file.toAbsolutePath().getParent();
        String runId = f.text("run_id", false);
        if (runId == null) runId = dir == null ? file.toString() : dir.getFileName().toString();
        return new RunResult(runId, file, written, probe, f.object("options"), f.name("backbone"), f.name("dataset"),
                f.text("layer", false), f.text("cache_key", false), f.integer("params"), f.integer("flops_per_sample"),
                toInt(f.integer("epochs")), toInt(f.integer("best_epoch")), top1Best, top1Last, f.number("top5_last"),
                f.number("val_top1_best"), f.number("train_seconds"), f.number("samples_per_second"),
                f.number("extract_seconds"), f.integer("seed"), f.object("recipe"), complementarity(f, root),
                json.convertValue(root, Map.class));
    }

    private static Complementarity complementarity(Fields parent, JsonNode root) {
        JsonNode c = root.get("complementarity");
        if (c == null || c.isNull()) return null;
        if (!c.isObject()) throw new EvalInputException(parent.file + ": 'complementarity' must be an object");
        Fields f = new Fields(parent.file, c);
        Double entropy = f.number("entropy_mean");
        if (entropy == null) throw new EvalInputException(parent.file + ": 'complementarity' lacks 'entropy_mean'");
        return new Complementarity(nanIfNull(f.number("avg_similarity")), nanIfNull(f.number("max_similarity")), entropy,
                nanIfNull(f.number("entropy_max")), toInt(orZero(f.integer("queries"))), toInt(orZero(f.integer("tokens"))),
                toInt(orZero(f.integer("images"))), f.text("split", false));
    }

    private static double nanIfNull(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static Long orZero(Long v) {
        return v == null ? 0L : v;
    }

    private static Integer toInt(Long v) {
        return v == null ? null : Math.toIntExact(v);
    }

    /** Typed access to the fields of one JSON object, with errors that name the file and field. */
    private record Fields(Path file, JsonNode node) {
        String text(String name, boolean required) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                if (required) throw new EvalInputException(file + ": missing '" + name + "'");
                return null;
            }
            if (!v.isValueNode()) throw new EvalInputException(file + ": '" + name + "' must be a string, got " + v);
            return v.asText();
        }

        /** A name given either as a string or as an object with a "name" field (e.g. a backbone description). */
        String name(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (v.isObject() && v.hasNonNull("name")) return v.get("name").asText();
            return v.isValueNode() ? v.asText() : v.toString();
        }

        Double number(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return null;
            if (!v.isNumber()) throw new EvalInputException(file + ": '" + name + "' must be a number, got " + v);
            return v.asDouble();
        }

        Long integer(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return null;
            if (!v.isNumber() || (v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble()))) {
                throw new EvalInputException(file + ": '" + name + "' must be an integer, got " + v);
            }
            return v.asLong();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return new LinkedHashMap<>();
            if (!v.isObject()) throw new EvalInputException(file + ": '" + name + "' must be an object, got " + v);
            return new ObjectMapper().convertValue(v, LinkedHashMap.class);
        }
    }
}
