package io.glimpse.eval.attention;

import io.glimpse.cache.TokenCache;
import io.glimpse.eval.EvalInputException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** Which cached samples get attention pictures: the ids asked for, or a varied set chosen without asking. */
public final class AttentionRows {
    private AttentionRows() {
    }

    /** The rows of {@code ids} when given, else {@code count} rows, one per class first. */
    public static int[] choose(TokenCache cache, List<String> ids, int count) {
        if (ids != null && !ids.isEmpty()) return rowsOf(cache, ids);
        if (count < 1) throw new EvalInputException("--images must be >= 1, got " + count);
        return onePerClassFirst(cache, count);
    }

    /** Rows of the cache for the given ids; an unknown id is refused with its name. */
    static int[] rowsOf(TokenCache cache, List<String> ids) {
        int[] rows = new int[ids.size()];
        for (int i = 0; i < rows.length; i++) {
            OptionalInt r = cache.row(ids.get(i));
            if (r.isEmpty()) throw new EvalInputException("--ids: '" + ids.get(i) + "' is not in cache " + cache.key().shortForm()
                    + " (ids look like '" + cache.id(0) + "')");
            rows[i] = r.getAsInt();
        }
        return rows;
    }

    /** The first row of each class, then the following rows, up to n: a varied grid without asking for ids. */
    static int[] onePerClassFirst(TokenCache cache, int n) {
        n = Math.min(n, cache.size());
        List<Integer> picked = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int r = 0; r < cache.size() && picked.size() < n; r++) {
            if (seen.add(cache.label(r))) picked.add(r);
        }
        for (int r = 0; r < cache.size() && picked.size() < n; r++) {
            if (!picked.contains(r)) picked.add(r);
        }
        return picked.stream().sorted().mapToInt(Integer::intValue).toArray();
    }
}
