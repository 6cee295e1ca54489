package io.glimpse.train.run;

import io.glimpse.train.loop.EpochRecord;

import java.util.List;

/**
 * The numbers of a pass checkpoint ({@code checkpoint.json}; the arrays are in {@link CheckpointArrays}): how many
 * epochs are complete, the pass's times so far, and per head (in pass order) its epoch log and selected epoch (0 =
 * none yet). The schedule and the shuffle need no state of their own: both are functions of the epoch number.
 */
public record PassCheckpoint(int epochs, double trainSeconds, double trainCpuSeconds, double evalSeconds, long trainSamples,
                             List<Head> heads) {
    public PassCheckpoint {
        heads = List.copyOf(heads);
    }

    public record Head(int selectedEpoch, List<EpochRecord> epochs) {
        public Head {
            epochs = List.copyOf(epochs);
        }
    }
}
