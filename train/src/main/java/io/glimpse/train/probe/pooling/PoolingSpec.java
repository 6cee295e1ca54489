package io.glimpse.train.probe.pooling;

import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * What a pooling is built for: the probe name (for messages), the user's options, the cache's token layout and
 * the number of tokens the pooling reads. Holds the option checks shared by the poolings.
 */
public record PoolingSpec(String probe, ProbeOptions options, TokenLayout layout, int tokens) {

    public int dim() {
        return layout.dim();
    }

    /**
     * The head count: {@code --heads} when given (it must divide D), otherwise the largest divisor of D not above
     * the study's default for this probe (docs/heads.md#options).
     */
    public int heads(int studyDefault) {
        int d = dim();
        int requested = options.heads();
        if (requested == 0) {
            int h = Math.min(studyDefault, d);
            while (d % h != 0) h--;
            return h;
        }
        if (d % requested != 0) {
            throw new TrainInputException("--heads " + requested + " does not divide D=" + d + " (probe " + probe
                    + "); allowed: " + divisors(d));
        }
        return requested;
    }

    /** Refuses layouts without a square patch grid (clip, cbam, dolg reshape the patches to an h x h map). */
    public void requireSquareGrid() {
        if (!layout.squareGrid()) {
            String grid = layout.hasGrid() ? layout.gridH() + "x" + layout.gridW() : "no grid";
            throw new TrainInputException("--probe " + probe + " needs a square patch grid, but the cache's layout has "
                    + grid + " (" + layout.patches() + " patch tokens); allowed: a backbone with an h x h patch grid");
        }
    }

    /** Refuses layouts without a prefix token (probes that read the CLS token). */
    public void requirePrefix() {
        if (layout.prefixTokens() == 0) {
            throw new TrainInputException("--probe " + probe + " reads the CLS/prefix tokens, but the cache's layout has "
                    + "none; use the patch-token variant (linear-gap, efficient)");
        }
    }

    /** The divisors of n, comma-separated, for "allowed:" messages. */
    public static String divisors(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) if (n % i == 0) out.add(Integer.toString(i));
        return String.join(", ", out);
    }
}
