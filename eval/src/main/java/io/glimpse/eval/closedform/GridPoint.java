package io.glimpse.eval.closedform;

/** One L2 strength of the grid (relative, see the probe) and its validation top-1; L-BFGS iterations for logreg. */
public record GridPoint(double l2, double valTop1, Integer iterations) {
}
