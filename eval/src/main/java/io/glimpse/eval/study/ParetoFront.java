package io.glimpse.eval.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The accuracy/cost Pareto front: the points no other point beats, i.e. none costs at most as much and is at least
 * as accurate while being strictly better in one of the two. Read along the cost axis it is the best accuracy
 * available for at most that cost. Points equal in both cost and accuracy do not dominate each other, so a tie on the
 * front keeps both.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /** The members of the front, by increasing cost (then decreasing accuracy, then input order). */
    public static <T> List<T> of(List<T> points, ToDoubleFunction<T> cost, ToDoubleFunction<T> accuracy) {
        List<T> front = new ArrayList<>();
        for (T p : points) {
            boolean dominated = false;
            for (T q : points) {
                if (q == p) continue;
                double qc = cost.applyAsDouble(q), pc = cost.applyAsDouble(p);
                double qa = accuracy.applyAsDouble(q), pa = accuracy.applyAsDouble(p);
                if (qc <= pc && qa >= pa && (qc < pc || qa > pa)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) front.add(p);
        }
        front.sort(Comparator.<T>comparingDouble(cost).thenComparing(Comparator.comparingDouble(accuracy).reversed()));
        return front;
    }
}
