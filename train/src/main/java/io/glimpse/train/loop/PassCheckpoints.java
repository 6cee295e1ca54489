package io.glimpse.train.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.run.PassCheckpoint;
import io.glimpse.train.run.PassDirectory;
import io.glimpse.train.run.RunDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Saves a pass after each epoch and restores it: the heads with their optimizers and logs, and the pass's times. */
final class PassCheckpoints {
    private PassCheckpoints() {
    }

    static void save(PassDirectory pass, List<HeadRun> runs, int epochs, PassTimes times, NDManager root) {
        List<PassCheckpoint.Head> heads = new ArrayList<>();
        try (NDManager m = root.newSubManager()) {
            NDList arrays = new NDList();
            for (int i = 0; i < runs.size(); i++) {
                runs.get(i).addCheckpointArrays(arrays, i, m);
                heads.add(runs.get(i).checkpointRecord());
            }
            pass.writeCheckpoint(new PassCheckpoint(epochs, times.trainSeconds, times.trainCpuSeconds, times.evalSeconds,
                    times.trainSamples, heads), arrays);
        }
    }

    /**
     * Restores the pass's last checkpoint into {@code runs} and {@code times} and cuts each head's epochs.csv back to
     * the epochs it holds; returns how many epochs are complete (0 without a checkpoint: the pass starts over).
     */
    static int restore(PassDirectory pass, List<HeadRun> runs, List<RunDirectory> dirs, PassTimes times, NDManager root) {
        Optional<PassCheckpoint> saved = pass.checkpoint();
        if (saved.isEmpty()) {
            dirs.forEach(d -> d.rewriteEpochs(List.of()));
            return 0;
        }
        PassCheckpoint cp = saved.get();
        String source = pass.path().resolve(PassDirectory.CHECKPOINT).toString();
        if (cp.heads().size() != runs.size()) {
            throw new TrainInputException(source + ": holds " + cp.heads().size() + " heads, the pass has " + runs.size());
        }
        // the heads take over the arrays they keep (selected state, optimizer state); closing m frees the rest
        try (NDManager m = root.newSubManager()) {
            NDList arrays = pass.checkpointArrays(cp, m);
            for (int i = 0; i < runs.size(); i++) runs.get(i).restore(cp.heads().get(i), arrays, i, source);
        }
        for (int i = 0; i < runs.size(); i++) dirs.get(i).rewriteEpochs(cp.heads().get(i).epochs());
        times.trainSeconds = cp.trainSeconds();
        times.trainCpuSeconds = cp.trainCpuSeconds();
        times.evalSeconds = cp.evalSeconds();
        times.trainSamples = cp.trainSamples();
        return cp.epochs();
    }
}
