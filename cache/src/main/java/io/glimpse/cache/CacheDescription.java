package io.glimpse.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything that changes the cached tokens, and nothing else: the backbone (name and ONNX file sha256), the token
 * outputs stored ({@code layers}, first = default), preprocessing, dataset identity and content fingerprint, split,
 * storage dtype, augmented views per image (1 = the plain eval transform; {@code augmentation} must then be empty)
 * and the row limit (0 = all rows; a {@code --limit} subset is an entry of its own).
 *
 * <p>{@link #canonical()} defines the key: compact JSON (RFC 8259, UTF-8, no whitespace) of one object whose members
 * appear in this fixed order: {@code format} ("glimpse-cache-key/1"), {@code backbone} {name, sha256 (lowercase)},
 * {@code layers} [in order], {@code preprocessing} {members sorted by key}, {@code dataset} {name, fingerprint},
 * {@code split}, {@code dtype} ("float16"|"float32"), {@code views}, {@code augmentation} {sorted}, {@code limit},
 * and last, only for a synthetic entry, {@code synthetic} {sorted}. Strings use JSON's standard escapes only, so the
 * bytes, and the key, are the same on every run and machine. Bump the format tag if a field is ever added to every
 * description; {@code synthetic} is absent from the canonical form of extracted entries, so their keys do not depend
 * on it.
 *
 * <p>{@code synthetic} is empty for tokens a backbone computed; for tokens made up by a generator it holds the
 * generator's name and every parameter the tokens depend on, so the manifest says in clear that they are synthetic.
 */
public record CacheDescription(String backboneName, String backboneSha256, List<String> layers,
                               SortedMap<String, String> preprocessing, String datasetName, String datasetFingerprint,
                               String split, TokenDtype dtype, int views, SortedMap<String, String> augmentation,
                               int limit, @JsonInclude(JsonInclude.Include.NON_EMPTY) SortedMap<String, String> synthetic) {

    public static final String KEY_FORMAT = "glimpse-cache-key/1";

    public CacheDescription {
        backboneName = required(backboneName, "backbone name");
        backboneSha256 = required(backboneSha256, "backbone sha256").toLowerCase(Locale.ROOT);
        datasetName = required(datasetName, "dataset name");
        datasetFingerprint = required(datasetFingerprint, "dataset fingerprint");
        split = required(split, "split");
        if (dtype == null) throw new IllegalArgumentException("cache description needs a dtype");
        if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("cache description needs at least one layer");
        for (String l : layers) {
            required(l, "layer name");
        }
        if (layers.stream().distinct().count() != layers.size()) throw new IllegalArgumentException("layers repeat a name: " + layers);
        layers = List.copyOf(layers);
        preprocessing = Collections.unmodifiableSortedMap(new TreeMap<>(preprocessing == null ? Map.of() : preprocessing));
        augmentation = Collections.unmodifiableSortedMap(new TreeMap<>(augmentation == null ? Map.of() : augmentation));
        if (views < 1) throw new IllegalArgumentException("views must be >= 1, got " + views);
        if (views == 1 && !augmentation.isEmpty()) {
            throw new IllegalArgumentException("augmentation parameters given but views=1 (only the plain eval transform is stored)");
        }
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0 (0 = all rows), got " + limit);
        synthetic = Collections.unmodifiableSortedMap(new TreeMap<>(synthetic == null ? Map.of() : synthetic));
    }

    /** The description of tokens a backbone computed. */
    public CacheDescription(String backboneName, String backboneSha256, List<String> layers,
                            SortedMap<String, String> preprocessing, String datasetName, String datasetFingerprint,
                            String split, TokenDtype dtype, int views, SortedMap<String, String> augmentation, int limit) {
        this(backboneName, backboneSha256, layers, preprocessing, datasetName, datasetFingerprint, split, dtype, views,
                augmentation, limit, null);
    }

    /** Whether a generator, not a backbone, made the tokens. */
    public boolean fromGenerator() {
        return !synthetic.isEmpty();
    }

    private static String required(String s, String what) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("cache description needs a " + what);
        return s;
    }

    /** The default (first) layer. */
    public String defaultLayer() {
        return layers.get(0);
    }

    /** Canonical serialization, see the class comment. */
    public String canonical() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", KEY_FORMAT);
        ObjectNode backbone = root.putObject("backbone");
        backbone.put("name", backboneName);
        backbone.put("sha256", backboneSha256);
        ArrayNode ls = root.putArray("layers");
        layers.forEach(ls::add);
        ObjectNode pre = root.putObject("preprocessing");
        preprocessing.forEach(pre::put);
        ObjectNode ds = root.putObject("dataset");
        ds.put("name", datasetName);
        ds.put("fingerprint", datasetFingerprint);
        root.put("split", split);
        root.put("dtype", dtype.label());
        root.put("views", views);
        ObjectNode aug = root.putObject("augmentation");
        augmentation.forEach(aug::put);
        root.put("limit", limit);
        if (fromGenerator()) {
            ObjectNode syn = root.putObject("synthetic");
            synthetic.forEach(syn::put);
        }
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize cache description", e);
        }
    }

    public CacheKey key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return new CacheKey(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
