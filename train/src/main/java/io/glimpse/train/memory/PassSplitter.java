package io.glimpse.train.memory;

import io.glimpse.train.TrainInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the heads of a run into passes that each fit a {@link MemoryBudget}: heads are taken in their order and a
 * pass is closed when the next head would not fit beside the batch every pass holds ({@code sharedBytes}). Keeping
 * the order keeps each pass a contiguous slice of the grid, so the same grid and budget always give the same passes.
 */
public final class PassSplitter {
    private PassSplitter() {
    }

    /** One head to place: its estimated peak bytes at the run's batch and a name for errors. */
    public record Head(long bytes, String label) {
    }

    /** Groups of indices into {@code heads}; refuses a head that does not fit even alone. */
    public static List<List<Integer>> split(List<Head> heads, long sharedBytes, MemoryBudget budget, int batch) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long used = sharedBytes;
        for (int i = 0; i < heads.size(); i++) {
            Head h = heads.get(i);
            if (sharedBytes + h.bytes() > budget.bytes() || sharedBytes + h.bytes() < 0) {
                throw new TrainInputException(h.label() + " needs about " + MemoryBudget.human(h.bytes()) + " at --batch " + batch
                        + " (plus " + MemoryBudget.human(sharedBytes) + " for the batch itself), more than --memory-budget "
                        + budget + " allows: lower --batch or raise --memory-budget");
            }
            if (!current.isEmpty() && used + h.bytes() > budget.bytes()) {
                groups.add(current);
                current = new ArrayList<>();
                used = sharedBytes;
            }
            current.add(i);
            used += h.bytes();
        }
        if (!current.isEmpty()) groups.add(current);
        return groups;
    }
}
