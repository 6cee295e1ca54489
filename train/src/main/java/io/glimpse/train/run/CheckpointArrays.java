package io.glimpse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The arrays of a pass checkpoint, all heads in one NDList: each array is named {@code <head>/<section>/<name>}, head
 * its 0-based place in the pass. Sections: {@link #STATE} (the head now, {@link HeadState}'s names), {@link #BEST}
 * (the head at its selected epoch, the same names) and {@link #OPTIMIZER} (momentum, moments, step count).
 */
public final class CheckpointArrays {
    public static final String STATE = "state";
    public static final String BEST = "best";
    public static final String OPTIMIZER = "optimizer";

    private CheckpointArrays() {
    }

    /** Adds copies of {@code arrays}, owned by {@code manager}, under {@code head}'s {@code section}. */
    public static void add(NDList into, int head, String section, NDList arrays, NDManager manager) {
        for (NDArray a : arrays) {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            copy.setName(prefix(head, section) + a.getName());
            into.add(copy);
        }
    }

    /** The arrays of {@code head}'s {@code section}, renamed to their names within it (the arrays themselves, not copies). */
    public static NDList section(NDList all, int head, String section) {
        String prefix = prefix(head, section);
        NDList out = new NDList();
        for (NDArray a : all) {
            if (a.getName() != null && a.getName().startsWith(prefix)) {
                a.setName(a.getName().substring(prefix.length()));
                out.add(a);
            }
        }
        return out;
    }

    private static String prefix(int head, String section) {
        return head + "/" + section + "/";
    }
}
