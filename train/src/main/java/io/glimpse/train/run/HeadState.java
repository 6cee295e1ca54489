package io.glimpse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.probe.ProbeHead;

import java.util.Map;

/**
 * A head's saved state as its run folder keeps it: one DJL NDList with every parameter named {@code param/<name>}
 * and every buffer (running statistics) {@code buffer/<name>}.
 */
public final class HeadState {
    private static final String PARAM = "param/";
    private static final String BUFFER = "buffer/";

    private HeadState() {
    }

    /** Detached copies of the head's parameters and buffers, owned by {@code manager}. */
    public static NDList capture(ProbeHead head, NDManager manager) {
        NDList list = new NDList();
        copy(head.parameters(), PARAM, manager, list);
        copy(head.buffers(), BUFFER, manager, list);
        return list;
    }

    /** Overwrites the head's parameters and buffers with {@code state}; names and shapes must match ({@code source} names it in errors). */
    public static void restore(ProbeHead head, NDList state, String source) {
        Map<String, NDArray> params = head.parameters();
        Map<String, NDArray> buffers = head.buffers();
        int expected = params.size() + buffers.size();
        if (state.size() != expected) {
            throw new TrainInputException(source + ": holds " + state.size() + " arrays, the " + head.name() + " head has " + expected);
        }
        for (NDArray saved : state) {
            String name = saved.getName();
            NDArray target = name == null ? null
                    : name.startsWith(PARAM) ? params.get(name.substring(PARAM.length()))
                    : name.startsWith(BUFFER) ? buffers.get(name.substring(BUFFER.length())) : null;
            if (target == null) throw new TrainInputException(source + ": array '" + name + "' is not part of the " + head.name() + " head");
            if (!target.getShape().equals(saved.getShape())) {
                throw new TrainInputException(source + ": array " + name + " has shape " + saved.getShape() + ", the head expects "
                        + target.getShape() + " (different layout or class count?)");
            }
            if (target.getDataType() == DataType.FLOAT64) {
                target.set(saved.toType(DataType.FLOAT64, false).toDoubleArray());
            } else {
                target.set(saved.toType(DataType.FLOAT32, false).toFloatArray());
            }
        }
    }

    private static void copy(Map<String, NDArray> arrays, String prefix, NDManager manager, NDList into) {
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray detached = e.getValue().stopGradient();
            NDArray c = detached.duplicate();
            detached.close();
            c.attach(manager);
            c.setName(prefix + e.getKey());
            into.add(c);
        }
    }
}
