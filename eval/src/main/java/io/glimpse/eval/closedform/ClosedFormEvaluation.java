package io.glimpse.eval.closedform;

import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.select.RowSelection;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.knn.FeatureMatrix;
import io.glimpse.eval.knn.FeatureReader;
import io.glimpse.eval.knn.KnnFeature;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a closed-form linear probe: reads one vector per image (through the cache's vector sidecar where it has one),
 * fits every L2 strength of the grid on the train rows less a seeded class-balanced hold-out, keeps the strength
 * with the best hold-out top-1 (the larger on a tie: the simpler model), refits it on all train rows and scores the
 * test split once.
 */
public final class ClosedFormEvaluation {
    /**
     * Fitted to convergence by scikit-learn's rule for the same objective: no component of the mean loss's gradient
     * (in W, b on standardised features) above 1e-4, or no relative progress. Tighter tolerances cost hundreds of
     * iterations on weakly regularised backbone features without moving the hold-out choice.
     */
    static final Lbfgs.Settings LBFGS = new Lbfgs.Settings(10, 1000, 1e-4, 1e-12);

    private final PrintStream log;

    /** {@code log} hears of a vector sidecar being built; null for silence. */
    public ClosedFormEvaluation(PrintStream log) {
        this.log = log;
    }

    public ClosedFormResult run(TokenSource train, TokenSource test, int knownClasses, ClosedFormSettings settings) {
        if (train.layout().dim() != test.layout().dim()) {
            throw new EvalInputException("train and test caches differ in token width: " + train.layout().dim() + " vs " + test.layout().dim());
        }
        checkPool(settings.pool(), train);
        long t0 = System.nanoTime();
        VectorBuildProgress build = log == null ? VectorBuildProgress.SILENT : new VectorBuildProgress() {
            @Override
            public void start(String entry, long rows, String reason) {
                log.println(settings.probe().label() + ": " + entry + ": building its CLS / patch-mean vectors ("
                        + (reason.equals("missing") ? "first use" : reason) + ", " + rows + " rows)");
            }
        };
        FeatureMatrix trainX = FeatureReader.readUnscaled(train, settings.layer(), settings.pool(), n -> { }, build);
        FeatureMatrix testX = FeatureReader.readUnscaled(test, settings.layer(), settings.pool(), n -> { }, build);
        requireLabels(trainX, "train");
        requireLabels(testX, "test");
        int classes = Math.max(knownClasses, 1 + Math.max(max(trainX.labels()), max(testX.labels())));
        long t1 = System.nanoTime();

        RowSelection.Rows split = new RowSelection(0, settings.shots(), settings.valFraction(), settings.seed()).choose(trainX.labels());
        int[] all = union(split.train(), split.validation());
        int[] valLabels = pick(trainX.labels(), split.validation());
        List<GridPoint> grid = new ArrayList<>();
        LinearModel model = switch (settings.probe()) {
            case RIDGE -> ridge(trainX, split, all, valLabels, classes, settings.grid(), grid);
            case LOGREG -> logreg(trainX, split, all, valLabels, classes, settings.grid(), grid);
        };
        GridPoint chosen = choose(grid);
        long t2 = System.nanoTime();

        int[] testRows = new int[testX.rows()];
        Arrays.setAll(testRows, i -> i);
        double[] scores = model.scores(testX.values(), testRows);
        return new ClosedFormResult(settings.probe(), settings.layer(), settings.pool(), split.train().length,
                split.validation().length, testX.rows(), trainX.dim(), classes, grid, chosen,
                Scores.top1(scores, testX.labels(), classes), Scores.topK(scores, testX.labels(), classes, 5),
                Scores.meanPerClass(scores, testX.labels(), classes), model.params(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private static LinearModel ridge(FeatureMatrix x, RowSelection.Rows split, int[] all, int[] valLabels, int classes,
                                     double[] strengths, List<GridPoint> grid) {
        RidgeGrid fit = RidgeGrid.fit(x.values(), x.dim(), x.labels(), split.train(), classes);
        for (double l2 : strengths) {
            double[] val = fit.model(l2).scores(x.values(), split.validation());
            grid.add(new GridPoint(l2, Scores.top1(val, valLabels, classes), null));
        }
        return RidgeGrid.fit(x.values(), x.dim(), x.labels(), all, classes).model(choose(grid).l2());
    }

    private static LinearModel logreg(FeatureMatrix x, RowSelection.Rows split, int[] all, int[] valLabels, int classes,
                                      double[] strengths, List<GridPoint> grid) {
        SoftmaxRegression fit = new SoftmaxRegression(x.values(), x.dim(), x.labels(), split.train(), classes);
        double[] params = new double[fit.parameterCount()];
        double[][] solutions = new double[strengths.length][];
        // strongest first: each solution warm-starts the next, weaker one
        GridPoint[] points = new GridPoint[strengths.length];
        for (int i = strengths.length - 1; i >= 0; i--) {
            Lbfgs.Result r = fit.fit(SoftmaxRegression.absolute(strengths[i], fit.rows()), params, LBFGS);
            params = r.x();
            solutions[i] = params;
            double[] val = fit.model(params).scores(x.values(), split.validation());
            points[i] = new GridPoint(strengths[i], Scores.top1(val, valLabels, classes), r.iterations());
        }
        grid.addAll(Arrays.asList(points));
        int best = grid.indexOf(choose(grid));
        SoftmaxRegression full = new SoftmaxRegression(x.values(), x.dim(), x.labels(), all, classes);
        return full.model(full.fit(SoftmaxRegression.absolute(strengths[best], full.rows()), solutions[best], LBFGS).x());
    }

    /** The best validation top-1; on a tie the larger strength. {@code grid} is ascending in strength. */
    static GridPoint choose(List<GridPoint> grid) {
        GridPoint best = grid.get(0);
        for (GridPoint p : grid) if (p.valTop1() >= best.valTop1()) best = p;
        return best;
    }

    private static void checkPool(KnnFeature pool, TokenSource source) {
        if (pool == KnnFeature.CLS && source.layout().prefixTokens() == 0) {
            throw new EvalInputException("--pool cls: the cached tokens have no prefix (CLS) token; use --pool mean");
        }
        if (pool == KnnFeature.MEAN && source.layout().patches() == 0) {
            throw new EvalInputException("--pool mean: the cache holds no patch tokens");
        }
    }

    private static void requireLabels(FeatureMatrix m, String split) {
        for (int l : m.labels()) {
            if (l < 0) throw new EvalInputException("the " + split + " cache has rows without a label; a linear probe needs labelled rows");
        }
    }

    private static int[] union(int[] a, int[] b) {
        int[] u = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, u, a.length, b.length);
        Arrays.sort(u);
        return u;
    }

    private static int[] pick(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = labels[rows[i]];
        return out;
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }
}
