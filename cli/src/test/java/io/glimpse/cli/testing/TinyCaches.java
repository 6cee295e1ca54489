package io.glimpse.cli.testing;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Small cache entries for the commands' tests: row r has class r % classes, tokens = class centre + noise. */
public final class TinyCaches {
    public static final TokenLayout LAYOUT = new TokenLayout(5, 8, 1, 2, 2);
    public static final String LAYER = "hidden_state_4";

    private TinyCaches() {
    }

    /** A cache root (as the --cache argument) holding a train and a test entry, by key. */
    public record TrainTest(String root, String train, String test) {
    }

    /** A train and a test entry of {@code classes} classes in a new store at {@code root}. */
    public static TrainTest trainAndTest(Path root, int trainRows, int testRows, int classes) {
        CacheStore store = CacheStore.open(root);
        return new TrainTest(root.toString(), write(store, "train", trainRows, classes), write(store, "test", testRows, classes));
    }

    /** One layer ({@link #LAYER}), 2.5 extraction seconds in the manifest; returns the entry's key. */
    public static String write(CacheStore store, String split, int rows, int classes) {
        return write(store, split, rows, classes, List.of(LAYER), -1, 2.5);
    }

    /**
     * Every layer gets tokens of that form; {@code row0Label} >= 0 replaces row 0's label (a class outside the
     * range, for refusal tests); {@code extractSeconds} goes into the manifest's extraction stats.
     */
    public static String write(CacheStore store, String split, int rows, int classes, List<String> layers, int row0Label,
                               double extractSeconds) {
        CacheDescription d = new CacheDescription("tiny-vit", "ab".repeat(32), layers,
                new TreeMap<>(Map.of("size", "4")), "tiny", "fp-" + split, split, TokenDtype.FLOAT16, 1, new TreeMap<>(), 0);
        Random rnd = new Random(split.hashCode());
        int rv = LAYOUT.rowValues();
        try (EntryWriter w = store.openWriter(d, LAYOUT, WriterOptions.defaults())) {
            String[] ids = new String[rows];
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                ids[r] = split + "/" + r;
                labels[r] = r == 0 && row0Label >= 0 ? row0Label : r % classes;
            }
            Map<String, FloatBuffer> tokens = new TreeMap<>();
            for (String layer : layers) {
                FloatBuffer b = ByteBuffer.allocateDirect(rows * rv * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < rv; i++) {
                        b.put(r * rv + i, (i % LAYOUT.dim() == r % classes ? 3f : 0f) + (float) rnd.nextGaussian() * 0.3f);
                    }
                }
                tokens.put(layer, b);
            }
            w.append(ids, labels, tokens, rows);
            w.finish(Map.of("extract_seconds", extractSeconds), List.of());
        }
        return d.key().hex();
    }
}
