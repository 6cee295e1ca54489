package io.glimpse.eval.closedform;

import java.util.function.ToDoubleFunction;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithms 7.4 and 7.5) with a
 * backtracking Armijo line search, for smooth convex objectives. A curvature pair with sᵀy ≤ 0 is not stored, so the
 * inverse-Hessian estimate stays positive definite without a Wolfe line search. Stops when the gradient's size (by
 * default its largest component; a caller minimising in transformed coordinates can measure the gradient of the
 * original problem instead) is at most {@code gradientTolerance}, when an iteration lowers the value by less than
 * {@code relativeTolerance}·max(|f|, 1), or after {@code maxIterations}.
 */
public final class Lbfgs {
    /** A differentiable function: returns f(x) and writes ∇f(x) into {@code gradient}. */
    public interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    public record Settings(int memory, int maxIterations, double gradientTolerance, double relativeTolerance) {
        public Settings {
            if (memory < 1 || maxIterations < 1) throw new IllegalArgumentException("L-BFGS memory and iterations must be >= 1");
        }
    }

    public record Result(double[] x, double value, double gradientNorm, int iterations, int evaluations, boolean converged) {
    }

    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 60;

    private Lbfgs() {
    }

    public static Result minimize(Objective f, double[] start, Settings settings) {
        return minimize(f, start, settings, Lbfgs::maxAbs);
    }

    /** As above, with {@code gradientSize} measuring the gradient for the stopping rule and the result. */
    public static Result minimize(Objective f, double[] start, Settings settings, ToDoubleFunction<double[]> gradientSize) {
        int n = start.length;
        int m = settings.memory();
        double[][] s = new double[m][n];
        double[][] y = new double[m][n];
        double[] rho = new double[m];
        int stored = 0;
        int newest = -1;

        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        double[] d = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        double[] alpha = new double[m];
        int iter = 0;
        while (true) {
            double gInf = gradientSize.applyAsDouble(g);
            if (gInf <= settings.gradientTolerance()) return new Result(x, fx, gInf, iter, evaluations, true);
            if (iter >= settings.maxIterations()) return new Result(x, fx, gInf, iter, evaluations, false);

            // two-loop recursion: d = -H·g
            for (int i = 0; i < n; i++) d[i] = -g[i];
            for (int j = 0; j < stored; j++) {
                int k = Math.floorMod(newest - j, m);
                alpha[k] = rho[k] * dot(s[k], d);
                axpy(-alpha[k], y[k], d);
            }
            if (stored > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int i = 0; i < n; i++) d[i] *= gamma;
            }
            for (int j = stored - 1; j >= 0; j--) {
                int k = Math.floorMod(newest - j, m);
                double beta = rho[k] * dot(y[k], d);
                axpy(alpha[k] - beta, s[k], d);
            }
            double slope = dot(d, g);
            if (!(slope < 0)) {
                // not a descent direction (lost curvature information): forget it and go down the gradient
                stored = 0;
                for (int i = 0; i < n; i++) d[i] = -g[i];
                slope = dot(d, g);
            }
            // without curvature information the scale is unknown: a first step of unit length
            double t = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double fNew = Double.NaN;
            int halvings = 0;
            for (; halvings < MAX_HALVINGS; halvings++) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
                fNew = f.valueAndGradient(xNew, gNew);
                evaluations++;
                if (fNew <= fx + ARMIJO * t * slope) break;
                t *= 0.5;
            }
            if (halvings == MAX_HALVINGS) {
                // no decrease along a descent direction: the value is flat to rounding, as close as we get
                return new Result(x, fx, gInf, iter, evaluations, false);
            }
            iter++;
            int next = (newest + 1) % m;
            double sy = 0;
            double ss = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                double si = xNew[i] - x[i];
                double yi = gNew[i] - g[i];
                s[next][i] = si;
                y[next][i] = yi;
                sy += si * yi;
                ss += si * si;
                yy += yi * yi;
            }
            if (sy > 1e-12 * Math.sqrt(ss * yy)) {
                rho[next] = 1 / sy;
                newest = next;
                stored = Math.min(stored + 1, m);
            }
            double decrease = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            double previous = fx;
            fx = fNew;
            if (decrease <= settings.relativeTolerance() * Math.max(1, Math.max(Math.abs(previous), Math.abs(fNew)))) {
                double gi = gradientSize.applyAsDouble(g);
                return new Result(x, fx, gi, iter, evaluations, gi <= settings.gradientTolerance());
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
