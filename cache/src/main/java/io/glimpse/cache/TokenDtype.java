package io.glimpse.cache;

/**
 * Storage precision of cached tokens. Float16 halves disk and page-cache use; float32 is exact; int8 halves float16
 * again: symmetric int8 with one float32 scale per token (per row of D), dequantised on read
 * ({@link io.glimpse.cache.quant.Int8Quantizer} says how).
 */
public enum TokenDtype {
    FLOAT16(2),
    FLOAT32(4),
    INT8(1);

    private final int bytes;

    TokenDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored token value (int8: the quantised value; its token's scale is counted by {@link #rowBytes}). */
    public int bytes() {
        return bytes;
    }

    /** Whether tokens carry a float32 scale per token beside their values. */
    public boolean scaled() {
        return this == INT8;
    }

    /** Bytes one row of one layer takes in a shard: T·D values, plus T float32 scales for int8. */
    public long rowBytes(TokenLayout layout) {
        return (long) layout.rowValues() * bytes + (scaled() ? (long) layout.tokens() * Float.BYTES : 0);
    }

    /** Parses "float16"/"fp16"/"half", "float32"/"fp32"/"float" or "int8"; the error names the allowed values. */
    public static TokenDtype parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float16": case "fp16": case "half": return FLOAT16;
            case "float32": case "fp32": case "float": return FLOAT32;
            case "int8": return INT8;
            default: throw new IllegalArgumentException("dtype '" + s + "' is not one of float16, float32, int8");
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
