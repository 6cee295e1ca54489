package io.glimpse.train.bench;

import io.glimpse.train.loop.TrainProgress;

import java.util.ArrayList;
import java.util.List;

/** Process counters and wall time at the start of each epoch and after each training step. */
final class StepCounters implements TrainProgress {
    record Mark(long nanos, ProcessCounters counters) {
    }

    final List<Mark> marks = new ArrayList<>();

    @Override
    public void epochStart(int epoch, int epochs, int steps) {
        marks.clear();
        marks.add(new Mark(System.nanoTime(), ProcessCounters.now()));
    }

    @Override
    public void step(double meanLoss, double samplesPerSecond) {
        marks.add(new Mark(System.nanoTime(), ProcessCounters.now()));
    }

    @Override
    public void epochEnd(String summary) {
    }

    int steps() {
        return marks.size() - 1;
    }

    /** After step {@code skip} (0: the epoch's start). */
    Mark from(int skip) {
        return marks.get(Math.min(skip, marks.size() - 1));
    }

    Mark last() {
        return marks.get(marks.size() - 1);
    }
}
