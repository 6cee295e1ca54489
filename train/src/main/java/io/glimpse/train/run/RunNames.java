package io.glimpse.train.run;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run folder names: the start time (so a runs folder lists oldest first), then what was run. The rest is a function
 * of the request alone: option keys are sorted, so the same command names its runs the same way whatever order
 * a head happens to report its options in.
 */
public final class RunNames {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private RunNames() {
    }

    /**
     * {@code <time>-<probe>-<key><value>...-<layer>-blr<blr>[-wd<weight decay>]-s<seed>}, e.g.
     * {@code 20260101-120000-efficient-dout1-queries8-hidden_state_4-blr0.1-wd0.05-s0}; a weight decay of 0 is left out.
     * Every hyper-parameter a grid sweeps is in the name, so the heads of one grid get distinct names.
     */
    public static String head(LocalDateTime time, String probe, Map<String, ?> options, String layer, double blr,
                              double weightDecay, int seed) {
        StringBuilder id = new StringBuilder(time.format(TIME)).append('-').append(probe);
        new TreeMap<>(options).forEach((k, v) -> id.append('-').append(k.replace("_", "")).append(v));
        id.append('-').append(layer).append("-blr").append(blr);
        if (weightDecay != 0) id.append("-wd").append(weightDecay);
        id.append("-s").append(seed);
        return safe(id.toString());
    }

    /** A head as people read it in messages: {@code efficient queries=8 d_out=1, layer hidden_state_4, blr 0.1, weight decay 0.05}. */
    public static String describe(String probe, Map<String, ?> options, String layer, double blr, double weightDecay) {
        StringBuilder s = new StringBuilder(probe);
        new TreeMap<>(options).forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        s.append(", layer ").append(layer).append(", blr ").append(blr);
        if (weightDecay != 0) s.append(", weight decay ").append(weightDecay);
        return s.toString();
    }

    /** {@code <time>-knn-<feature>-<layer>}. */
    public static String knn(LocalDateTime time, String feature, String layer) {
        return safe(time.format(TIME) + "-knn-" + feature + "-" + layer);
    }

    /** {@code <time>-<probe>-<pool>-<layer>} for a closed-form linear probe (ridge, logreg). */
    public static String closedForm(LocalDateTime time, String probe, String pool, String layer) {
        return safe(time.format(TIME) + "-" + probe + "-" + pool + "-" + layer);
    }

    /** A time as run ids start with, {@code yyyyMMdd-HHmmss}. */
    public static String timestamp(LocalDateTime time) {
        return TIME.format(time);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._=-]", "_");
    }
}
