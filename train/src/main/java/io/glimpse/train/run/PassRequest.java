package io.glimpse.train.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training pass as the runs folder knows it, in two parts, each an ordered map of name to value text. The
 * {@code identity} says what is trained on what (the heads, the data, the seed); the {@code options} say how (the
 * recipe all heads share, under the CLI's option names). The pass's folder is named by a hash of both, so the same
 * request always finds the same folder; an unfinished pass with the same identity but other options is a resume
 * with changed options, which {@link PassDirectory} refuses.
 */
public record PassRequest(Map<String, String> identity, Map<String, String> options) {
    private static final int KEY_HEX = 16;

    public PassRequest {
        identity = Collections.unmodifiableMap(new LinkedHashMap<>(identity));
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The first 16 hex digits of the SHA-256 of identity and options, one {@code name=value} line each: the pass folder's name. */
    public String key() {
        StringBuilder text = new StringBuilder();
        identity.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        text.append("--\n");
        options.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, KEY_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** One name whose value differs: {@code name value} as requested and as {@code saved}. */
    public record Difference(String requested, String saved) {
    }

    /** What differs from {@code saved} (a pass's recorded request), identity first; empty when they are the same. */
    public List<Difference> differences(PassRequest saved) {
        List<Difference> out = new ArrayList<>();
        compare(identity, saved.identity, out);
        compare(options, saved.options, out);
        return out;
    }

    private static void compare(Map<String, String> a, Map<String, String> b, List<Difference> out) {
        Map<String, String> names = new LinkedHashMap<>(a);
        b.forEach(names::putIfAbsent);
        for (String name : names.keySet()) {
            String x = a.get(name);
            String y = b.get(name);
            if (!Objects.equals(x, y)) out.add(new Difference(name + " " + (x == null ? "(none)" : x), name + " " + (y == null ? "(none)" : y)));
        }
    }
}
