package io.glimpse.cache.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vectors.json}: what {@code vectors.arrow} must be for its entry (key, rows, dim, layers) and its size and
 * CRC-32C, so a reader and {@code glimpse cache verify} can tell a sound sidecar from a stale, truncated or corrupt
 * one. Written after the Arrow file, so a record always describes a complete file.
 */
public record VectorRecord(int format, String key, long rows, int dim, int prefixTokens, List<String> layers,
                           String file, long bytes, String crc32c, String created) {
    public static final int FORMAT = 1;
    public static final String FILE = "vectors.json";
    public static final String DATA_FILE = "vectors.arrow";

    public VectorRecord {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    private static ObjectMapper json() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The record of an entry, or a one-line {@link BadInputException} naming it ({@code where}: "cache entry K"). */
    public static VectorRecord read(Path entryDir, String where) {
        try {
            VectorRecord r = json().readValue(Files.readAllBytes(entryDir.resolve(FILE)), VectorRecord.class);
            if (r == null || r.key() == null || r.crc32c() == null || r.file() == null) throw new BadInputException(where + ": " + FILE + " lacks key, file or crc32c");
            if (r.format() != FORMAT) throw new BadInputException(where + ": " + FILE + " has format " + r.format() + ", this Glimpse reads " + FORMAT);
            if (!DATA_FILE.equals(r.file())) throw new BadInputException(where + ": " + FILE + " names file '" + r.file() + "', expected " + DATA_FILE);
            return r;
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": " + FILE + " is missing");
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": " + FILE + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    byte[] toJson() {
        try {
            return json().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
