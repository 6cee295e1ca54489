package io.glimpse.eval.attention;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.TokenLayout;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.complementarity.AttentionMaps;
import io.glimpse.eval.head.AttentionReader;
import io.glimpse.train.probe.ProbeHead;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A head's attention maps for chosen cached samples, placed on the patch grid (A [B, M, N] reshaped to the grid,
 * docs/heads.md#attention-maps). Poolings that read prefix + patch tokens (efficient-all) attend to the prefix too;
 * that mass has no place on the grid and is left out of the picture.
 */
public final class AttentionMapsJob {
    private AttentionMapsJob() {
    }

    public static List<AttentionImage> compute(ProbeHead head, TokenCache cache, String layer, int[] rows, NDManager manager) {
        TokenLayout layout = cache.layout();
        if (!layout.hasGrid()) throw new EvalInputException("cache " + cache.key().shortForm() + " records no patch grid; attention maps need one");
        FloatBuffer tokens = ByteBuffer.allocateDirect(rows.length * layout.rowValues() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        cache.gather(rows, rows.length, layer, tokens);
        AttentionMaps maps = AttentionReader.read(head, tokens, rows.length, layout, manager)
                .orElseThrow(() -> new EvalInputException("probe " + head.name() + " has no attention maps"));
        int n = maps.tokens();
        int skip;
        if (n == layout.patches()) skip = 0;
        else if (n == layout.tokens()) skip = layout.prefixTokens();
        else throw new IllegalStateException(head.name() + " attends over " + n + " tokens, not the " + layout.patches() + " patches of the grid");
        List<AttentionImage> out = new ArrayList<>();
        for (int b = 0; b < rows.length; b++) {
            float[][] m = new float[maps.queries()][layout.patches()];
            for (int q = 0; q < maps.queries(); q++) {
                System.arraycopy(maps.values(), maps.offset(b, q) + skip, m[q], 0, layout.patches());
            }
            out.add(new AttentionImage(cache.id(rows[b]), cache.label(rows[b]), m, layout.gridH(), layout.gridW()));
        }
        return out;
    }
}
