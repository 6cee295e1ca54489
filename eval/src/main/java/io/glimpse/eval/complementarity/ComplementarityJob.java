package io.glimpse.eval.complementarity;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.eval.head.AttentionReader;
import io.glimpse.train.run.Complementarity;
import io.glimpse.train.probe.ProbeHead;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Complementarity of a trained head's attention over a whole split, batch by batch
 * (docs/result-json.md#complementarity).
 */
public final class ComplementarityJob {
    private static final int BATCH = 256;

    private ComplementarityJob() {
    }

    /** Empty when the head has no attention maps. */
    public static Optional<Complementarity> run(ProbeHead head, TokenSource source, String layer, String split,
                                                NDManager manager, IntConsumer progress) {
        ComplementarityAccumulator acc = new ComplementarityAccumulator();
        Iterator<TokenBatch> it = source.batches(EpochPlan.sequential(BATCH));
        while (it.hasNext()) {
            TokenBatch b = it.next();
            Optional<AttentionMaps> maps = AttentionReader.read(head, b, layer, source.layout(), manager);
            if (maps.isEmpty()) return Optional.empty();
            acc.add(maps.get());
            progress.accept(b.size());
        }
        return acc.images() == 0 ? Optional.empty() : Optional.of(acc.result(split));
    }
}
