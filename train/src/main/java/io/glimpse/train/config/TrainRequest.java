package io.glimpse.train.config;

import io.glimpse.cache.select.RowSelection;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.run.RunProvenance;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training pass needs besides the token sources: the shared recipe, the heads (trained together),
 * the selection options (first {@code limit} training rows, 0 = all;
 * K shots per class; validation fraction), where runs go, and provenance for result.json. {@code numClasses} 0 = take it from the
 * training source.
 */
public record TrainRequest(Recipe recipe, List<HeadSpec> heads, int limit, double valFraction, int shots, int numClasses,
                           Path runsDir, RunProvenance provenance) {
    public TrainRequest {
        heads = List.copyOf(heads);
        if (heads.isEmpty()) throw new TrainInputException("--probe: no probe heads to train");
        if (valFraction < 0 || valFraction >= 1) throw new TrainInputException("--val-fraction must be in [0, 1), got " + valFraction);
        if (limit < 0) throw new TrainInputException("--limit must be >= 0 (0 = all rows), got " + limit);
        if (shots < 0) throw new TrainInputException("--shots must be >= 0, got " + shots);
        if (numClasses < 0) throw new TrainInputException("class count must be >= 0, got " + numClasses);
    }

    /** The same request for some of its heads (one pass of a run split to fit memory). */
    public TrainRequest withHeads(List<HeadSpec> some) {
        return new TrainRequest(recipe, some, limit, valFraction, shots, numClasses, runsDir, provenance);
    }

    /** The training rows to use, drawn with the recipe's seed. */
    public RowSelection selection() {
        return new RowSelection(limit, shots, valFraction, recipe.seed());
    }
}
