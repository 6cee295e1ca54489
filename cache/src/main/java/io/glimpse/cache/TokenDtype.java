package io.glimpse.cache;

/** Storage precision of cached tokens. Float16 halves disk and page-cache use; float32 is exact. */
public enum TokenDtype {
    FLOAT16(2),
    FLOAT32(4);

    private final int bytes;

    TokenDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses "float16"/"fp16"/"half" or "float32"/"fp32"/"float"; the error names the allowed values. */
    public static TokenDtype parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float16": case "fp16": case "half": return FLOAT16;
            case "float32": case "fp32": case "float": return FLOAT32;
            default: throw new IllegalArgumentException("dtype '" + s + "' is not one of float16, float32");
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
