package io.glimpse.train.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.optim.Optimizer;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.run.CheckpointArrays;
import io.glimpse.train.run.HeadState;
import io.glimpse.train.run.PassCheckpoint;
import io.glimpse.train.schedule.LrSchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * One head inside a pass: the head, its own optimizer and schedule, its epoch log, and a copy of its state at the
 * selected epoch (best validation top-1 when a validation split exists, else best test top-1 as the study does).
 */
final class HeadRun implements AutoCloseable {
    final HeadSpec spec;
    final ProbeHead head;
    final Optimizer optimizer;
    final double peakLr;
    private LrSchedule schedule;
    final List<EpochRecord> epochs = new ArrayList<>();
    private final NDManager snapshots;
    private NDList selected;
    private int selectedEpoch;
    private double selectedScore = Double.NEGATIVE_INFINITY;
    private double lossSum;
    private int lossSteps;
    double lastLr;

    HeadRun(HeadSpec spec, ProbeHead head, Optimizer optimizer, double peakLr, NDManager parent) {
        this.spec = spec;
        this.head = head;
        this.optimizer = optimizer;
        this.peakLr = peakLr;
        this.snapshots = parent.newSubManager();
    }

    /** The schedule is set once the number of steps per epoch is known. */
    void setSchedule(LrSchedule schedule) {
        this.schedule = schedule;
    }

    LrSchedule schedule() {
        return schedule;
    }

    void addLoss(double loss) {
        lossSum += loss;
        lossSteps++;
    }

    double meanLoss() {
        return lossSteps == 0 ? Double.NaN : lossSum / lossSteps;
    }

    /** Records the epoch; keeps a copy of the head when its selection score improves (strictly, so ties keep the earlier epoch). */
    void endEpoch(EpochRecord record) {
        epochs.add(record);
        double score = score(record);
        if (score > selectedScore) {
            selectedScore = score;
            selectedEpoch = record.epoch();
            if (selected != null) selected.close();
            selected = HeadState.capture(head, snapshots);
        }
        lossSum = 0;
        lossSteps = 0;
    }

    private static double score(EpochRecord record) {
        return Double.isNaN(record.valTop1()) ? record.top1() : record.valTop1();
    }

    /** Adds this head's checkpoint arrays ({@code index}: its place in the pass): its state, its selected state, its optimizer's. */
    void addCheckpointArrays(NDList into, int index, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            CheckpointArrays.add(into, index, CheckpointArrays.STATE, HeadState.capture(head, m), manager);
            if (selected != null) CheckpointArrays.add(into, index, CheckpointArrays.BEST, selected, manager);
            CheckpointArrays.add(into, index, CheckpointArrays.OPTIMIZER, optimizer.saveState(m), manager);
        }
    }

    PassCheckpoint.Head checkpointRecord() {
        return new PassCheckpoint.Head(selectedEpoch, epochs);
    }

    /**
     * Continues from a checkpoint: parameters, BatchNorm statistics, optimizer state, epoch log and selected state as
     * they were after the checkpoint's last epoch. {@code source} names the checkpoint in errors.
     */
    void restore(PassCheckpoint.Head saved, NDList arrays, int index, String source) {
        HeadState.restore(head, CheckpointArrays.section(arrays, index, CheckpointArrays.STATE), source);
        optimizer.restoreState(CheckpointArrays.section(arrays, index, CheckpointArrays.OPTIMIZER));
        epochs.clear();
        epochs.addAll(saved.epochs());
        if (selected != null) selected.close();
        selected = null;
        selectedEpoch = saved.selectedEpoch();
        selectedScore = Double.NEGATIVE_INFINITY;
        if (selectedEpoch > 0) {
            selectedScore = score(epochs.get(selectedEpoch - 1));
            selected = CheckpointArrays.section(arrays, index, CheckpointArrays.BEST);
            selected.attach(snapshots);
        }
        lossSum = 0;
        lossSteps = 0;
    }

    int selectedEpoch() {
        return selectedEpoch;
    }

    NDList selectedState() {
        return selected;
    }

    @Override
    public void close() {
        optimizer.close();
        head.close();
        snapshots.close();
    }
}
