package io.glimpse.eval.knn;

import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.eval.EvalInputException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Weighted k-NN over cached tokens (docs/heads.md#knn): read one L2-normalised vector per sample from the
 * train and test sources, find every test row's top-k train rows once (k = the grid's largest), then score every
 * (k, T) cell from that one neighbour list.
 */
public final class KnnEvaluation {
    private final boolean showProgress;

    public KnnEvaluation(boolean showProgress) {
        this.showProgress = showProgress;
    }

    public KnnResult run(TokenSource train, TokenSource test, KnnSettings settings) {
        if (train.layout().dim() != test.layout().dim()) {
            throw new EvalInputException("train and test caches differ in token width: " + train.layout().dim() + " vs " + test.layout().dim());
        }
        long t0 = System.nanoTime();
        VectorBuildProgress build = showProgress ? new VectorBuildProgress() {
            @Override
            public void start(String entry, long rows, String reason) {
                System.err.println("k-NN: " + entry + ": building its CLS / patch-mean vectors (" + (reason.equals("missing") ? "first use" : reason) + ", " + rows + " rows)");
            }
        } : VectorBuildProgress.SILENT;
        FeatureMatrix trainX = withProgress("k-NN read train", train.size(), p -> FeatureReader.read(train, settings.layer(), settings.feature(), p, build));
        FeatureMatrix testX = withProgress("k-NN read test", test.size(), p -> FeatureReader.read(test, settings.layer(), settings.feature(), p, build));
        requireLabels(trainX, "train");
        requireLabels(testX, "test");
        int[] ks = settings.ksUpTo(trainX.rows());
        if (ks.length == 0) throw new EvalInputException("the train cache has " + trainX.rows() + " rows, fewer than the smallest --k");
        int classes = 1 + Math.max(max(trainX.labels()), max(testX.labels()));
        long t1 = System.nanoTime();
        Neighbours nn = withProgress("k-NN search", testX.rows(), p -> ExactSearch.topK(trainX, testX, ks[ks.length - 1], p));
        List<KnnCell> grid = WeightedVote.grid(nn, trainX.labels(), testX.labels(), classes, ks, settings.temperatures());
        long t2 = System.nanoTime();
        return new KnnResult(settings.layer(), settings.feature(), trainX.rows(), testX.rows(), trainX.dim(), classes,
                grid, WeightedVote.best(grid), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private interface Step<T> {
        T run(IntConsumer progress);
    }

    private <T> T withProgress(String task, int total, Step<T> step) {
        if (!showProgress) return step.run(n -> { });
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).showSpeed().build()) {
            return step.run(n -> {
                synchronized (bar) {
                    bar.stepBy(n);
                }
            });
        }
    }

    private static void requireLabels(FeatureMatrix m, String split) {
        for (int l : m.labels()) {
            if (l < 0) throw new EvalInputException("the " + split + " cache has rows without a label; k-NN needs labelled rows");
        }
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }
}
