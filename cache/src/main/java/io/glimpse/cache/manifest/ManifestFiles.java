package io.glimpse.cache.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.glimpse.cache.BadInputException;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads and atomically writes {@code manifest.json}. Readers never modify it. */
public final class ManifestFiles {
    public static final String FILE = "manifest.json";

    private final ObjectMapper json;

    public ManifestFiles() {
        SimpleModule enums = new SimpleModule("glimpse-manifest");
        asLabel(enums, TokenDtype.class, TokenDtype::label, TokenDtype::parse);
        asLabel(enums, EntryStatus.class, EntryStatus::label, EntryStatus::parse);
        json = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(enums)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The manifest stores {@code type} as its label string (e.g. "float16"), not as the Java constant name. */
    private static <T> void asLabel(SimpleModule module, Class<T> type, Function<T, String> label, Function<String, T> parse) {
        module.addSerializer(type, new JsonSerializer<T>() {
            @Override
            public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(label.apply(v));
            }
        });
        module.addDeserializer(type, new JsonDeserializer<T>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return parse.apply(p.getValueAsString());
            }
        });
    }

    /**
     * Reads an entry's manifest. A missing or unreadable manifest is a {@link BadInputException} naming the entry
     * and the file, in one line.
     */
    public Manifest read(Path entryDir, String entryName) {
        Path file = entryDir.resolve(FILE);
        try {
            Manifest m = json.readValue(Files.readAllBytes(file), Manifest.class);
            if (m == null || m.status() == null || m.description() == null || m.layout() == null) {
                throw new BadInputException("cache entry " + entryName + ": " + FILE + " lacks status, description or layout");
            }
            if (m.format() != Manifest.FORMAT) {
                throw new BadInputException("cache entry " + entryName + ": " + FILE + " has format " + m.format() + ", this Glimpse reads " + Manifest.FORMAT);
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new BadInputException("cache entry " + entryName + ": " + FILE + " is missing");
        } catch (JsonProcessingException e) {
            throw new BadInputException("cache entry " + entryName + ": " + FILE + " is not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cache entry " + entryName + ": " + FILE + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("cache entry " + entryName + ": cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** Writes temp → fsync → atomic rename, so a reader sees the old or the new manifest, never half of one. */
    public void write(Path entryDir, Manifest manifest) throws IOException {
        AtomicFiles.write(entryDir.resolve(FILE), json.writeValueAsBytes(manifest));
    }

    public String toJson(Manifest manifest) {
        try {
            return json.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
