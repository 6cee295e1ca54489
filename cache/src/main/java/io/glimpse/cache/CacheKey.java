package io.glimpse.cache;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identity of a cache entry: the lowercase hex SHA-256 of a {@link CacheDescription}'s canonical form. The entry's
 * directory is named by it. {@link #shortForm()} is what listings show; commands accept any unique prefix.
 */
public record CacheKey(String hex) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    public static final int SHORT_LENGTH = 12;

    public CacheKey {
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("cache key must be 64 lowercase hex digits, got '" + hex + "'");
        }
    }

    /** Parses a full key; the error names the text. */
    public static CacheKey parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(t).matches()) throw new BadInputException("'" + text + "' is not a cache key (64 hex digits)");
        return new CacheKey(t);
    }

    public static boolean isKey(String name) {
        return name != null && HEX64.matcher(name).matches();
    }

    public String shortForm() {
        return hex.substring(0, SHORT_LENGTH);
    }

    @Override
    public String toString() {
        return hex;
    }
}
