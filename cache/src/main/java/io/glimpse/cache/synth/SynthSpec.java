package io.glimpse.cache.synth;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One synthetic cache entry: {@code rows} rows of {@code layout}-shaped tokens in {@code classes} classes, drawn by
 * {@link SynthTokens} from {@code seed}. The splits share the class structure (it depends on the seed only) and
 * draw their rows from disjoint random streams, so a probe trained on "train" can be evaluated on "test".
 */
public record SynthSpec(int rows, TokenLayout layout, int classes, TokenDtype dtype, long seed, String split) {
    /** Name and version of the generator; a change to the tokens it makes must change it, and with it every key. */
    public static final String GENERATOR = "glimpse-synth/1";
    /** The one layer a synthetic entry stores. */
    public static final String LAYER = "tokens";
    public static final List<String> SPLITS = List.of("train", "test");
    /** The largest row: one must fit in a shard, and its float32 form in one buffer. */
    public static final long MAX_ROW_BYTES = (1L << 30) - (1L << 20);

    public SynthSpec {
        if (dtype == null) throw new IllegalArgumentException("synthetic entry needs a dtype");
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        if (layout.tokens() < 2) throw new IllegalArgumentException("tokens must be >= 2 (a CLS token and a patch), got " + layout.tokens());
        if (layout.prefixTokens() < 1 || layout.patches() < 1) {
            throw new IllegalArgumentException("prefix tokens must be in [1, tokens - 1], got " + layout.prefixTokens() + " of " + layout.tokens());
        }
        if (dtype.rowBytes(layout) > MAX_ROW_BYTES) {
            throw new IllegalArgumentException("a row of " + layout.tokens() + "x" + layout.dim() + " tokens is larger than a shard (1 GiB)");
        }
        if (classes < 2) throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        if (!SPLITS.contains(split)) throw new IllegalArgumentException("split must be one of " + SPLITS + ", got '" + split + "'");
    }

    /** Index of the split's random stream. */
    int splitIndex() {
        return SPLITS.indexOf(split);
    }

    /** Everything the tokens depend on, besides split and dtype (which the description has fields for). */
    public SortedMap<String, String> parameters() {
        SortedMap<String, String> p = new TreeMap<>();
        p.put("generator", GENERATOR);
        p.put("rows", Integer.toString(rows));
        p.put("tokens", Integer.toString(layout.tokens()));
        p.put("dim", Integer.toString(layout.dim()));
        p.put("prefix_tokens", Integer.toString(layout.prefixTokens()));
        p.put("grid", layout.gridH() + "x" + layout.gridW());
        p.put("classes", Integer.toString(classes));
        p.put("seed", Long.toString(seed));
        return p;
    }

    /**
     * The cache description, hence the key: the parameters in its {@code synthetic} member, so that any change of
     * them is another entry and none can equal an extraction's description (those have no such member). In the
     * fields shared with extractions the generator stands for the backbone and the parameters for the dataset.
     */
    public CacheDescription description() {
        return new CacheDescription("synthetic", sha256(GENERATOR), List.of(LAYER), null, "synthetic", sha256(parameters().toString()),
                split, dtype, 1, null, 0, parameters());
    }

    /** Row ids: the split, a slash and the zero-padded row number. */
    public String id(int row) {
        return split + "/" + String.format("%0" + idDigits() + "d", row);
    }

    private int idDigits() {
        return Math.max(6, Integer.toString(rows - 1).length());
    }

    /** Token bytes of the whole entry (int8: with the scales). */
    public long tokenBytes() {
        return rows * dtype.rowBytes(layout);
    }

    /**
     * Bytes on disk, slightly over: tokens (shards store no validity bitmaps), ids, labels and offsets, and about
     * 256 bytes a row for record-batch framing and the id index (measured: ~170).
     */
    public long estimatedBytes() {
        long perRow = dtype.rowBytes(layout) + idDigits() + split.length() + 1 + 256;
        return (long) rows * perRow + (4L << 20);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
