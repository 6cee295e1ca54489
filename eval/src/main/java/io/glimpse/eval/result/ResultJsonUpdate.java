package io.glimpse.eval.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.eval.EvalInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Adds eval's measurements to a run's result.json without touching the trainer's fields: read, set one member,
 * write to a temporary file and rename over the original (a crash leaves the old file whole).
 */
public final class ResultJsonUpdate {
    private ResultJsonUpdate() {
    }

    public static void putComplementarity(Path resultJson, Complementarity c) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            if (!(json.readTree(resultJson.toFile()) instanceof ObjectNode root)) {
                throw new EvalInputException(resultJson + ": expected a JSON object");
            }
            ObjectNode n = root.putObject("complementarity");
            putNumber(n, "avg_similarity", c.avgSimilarity());
            putNumber(n, "max_similarity", c.maxSimilarity());
            n.put("entropy_mean", c.meanEntropy());
            n.put("entropy_max", c.maxEntropy());
            n.put("queries", c.queries());
            n.put("tokens", c.tokens());
            n.put("images", c.images());
            n.put("split", c.split());
            n.put("definition", "Glimpse's (SPEC.md section 0): cosine similarity of a head's M attention maps per image");
            Path tmp = resultJson.resolveSibling("." + resultJson.getFileName() + ".eval.tmp");
            json.writeValue(tmp.toFile(), root);
            Files.move(tmp, resultJson, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + resultJson, e);
        }
    }

    /** NaN (no pairs for a single query) is written as null: JSON has no NaN. */
    private static void putNumber(ObjectNode n, String name, double v) {
        if (Double.isNaN(v)) n.putNull(name);
        else n.put(name, v);
    }
}
