package io.glimpse.train.loop;

/** Where the loop reports progress: a console bar for people, nothing in tests. */
public interface TrainProgress {
    /**
     * A pass begins (or continues after {@code doneEpochs}): {@code heads} heads trained together for {@code epochs}
     * epochs of {@code steps} steps; it is pass {@code pass} of the {@code passes} the run was split into.
     */
    default void passStart(int pass, int passes, int heads, int epochs, int steps, int doneEpochs) {
    }

    /** Every epoch of the pass is trained (its results are written next). */
    default void passEnd() {
    }

    void epochStart(int epoch, int epochs, int steps);

    /** After each step: mean training loss so far this epoch (over heads) and training throughput. */
    void step(double meanLoss, double samplesPerSecond);

    /** After evaluation: a one-line summary of the epoch. */
    void epochEnd(String summary);

    /** A line about the pass as a whole (resumed, already trained). */
    default void note(String line) {
    }

    /** No bar and no epoch lines, but the notes about the passes (how many, resumed, already trained) go to {@code notes}. */
    static TrainProgress notesOnly(java.util.function.Consumer<String> notes) {
        return new TrainProgress() {
            @Override
            public void epochStart(int epoch, int epochs, int steps) {
            }

            @Override
            public void step(double meanLoss, double samplesPerSecond) {
            }

            @Override
            public void epochEnd(String summary) {
            }

            @Override
            public void note(String line) {
                notes.accept(line);
            }
        };
    }

    TrainProgress SILENT = notesOnly(line -> {
    });
}
