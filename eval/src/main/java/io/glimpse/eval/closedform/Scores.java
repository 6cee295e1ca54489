package io.glimpse.eval.closedform;

/** Accuracies (percent) of class scores [rows, classes] against labels. */
public final class Scores {
    private Scores() {
    }

    public static double top1(double[] scores, int[] labels, int classes) {
        return topK(scores, labels, classes, 1);
    }

    /** Percent of rows whose label is among the k highest scores (ties counted against the label). */
    public static double topK(double[] scores, int[] labels, int classes, int k) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) if (rank(scores, i, classes, labels[i]) < k) hits++;
        return 100.0 * hits / labels.length;
    }

    /** Top-1 of every class present in {@code labels}, averaged over those classes. */
    public static double meanPerClass(double[] scores, int[] labels, int classes) {
        int[] hits = new int[classes];
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]]++;
            if (rank(scores, i, classes, labels[i]) == 0) hits[labels[i]]++;
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) continue;
            sum += (double) hits[c] / counts[c];
            present++;
        }
        return 100.0 * sum / present;
    }

    /** How many classes score at least as high as {@code label} in row {@code i}, other than itself. */
    private static int rank(double[] scores, int i, int classes, int label) {
        int o = i * classes;
        double s = scores[o + label];
        int above = 0;
        for (int c = 0; c < classes; c++) if (c != label && scores[o + c] >= s) above++;
        return above;
    }
}
