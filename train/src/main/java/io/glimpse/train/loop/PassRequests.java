package io.glimpse.train.loop;

import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.run.PassRequest;
import io.glimpse.train.run.RunProvenance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link PassRequest} of a training request: the identity is every head (probe, the options it used, layer,
 * base lr, in pass order), the data (backbone, dataset, cache keys, row counts of the sources as given, class
 * count, row selection) and the seed; the options are the recipe the heads share.
 */
final class PassRequests {
    private PassRequests() {
    }

    static PassRequest of(TrainRequest request, List<HeadRun> heads, int trainRows, int testRows, int classes) {
        Map<String, String> identity = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            HeadRun h = heads.get(i);
            identity.put("head " + (i + 1), h.spec.probe() + " " + new TreeMap<>(h.head.optionsUsed()) + " layer " + h.spec.layer()
                    + " blr " + h.spec.blr());
        }
        RunProvenance p = request.provenance();
        identity.put("backbone", p.backbone());
        identity.put("dataset", p.dataset());
        identity.put("train cache", p.trainCacheKey());
        identity.put("test cache", p.testCacheKey());
        identity.put("train rows", Integer.toString(trainRows));
        identity.put("test rows", Integer.toString(testRows));
        identity.put("classes", Integer.toString(classes));
        identity.put("--limit", Integer.toString(request.limit()));
        identity.put("--shots", Integer.toString(request.shots()));
        identity.put("--val-fraction", Double.toString(request.valFraction()));
        Recipe r = request.recipe();
        identity.put("--seed", Integer.toString(r.seed()));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--optimizer", r.optimizer().cliName());
        options.put("--batch", Integer.toString(r.batch()));
        options.put("--epochs", Integer.toString(r.epochs()));
        options.put("--warmup", Double.toString(r.warmupEpochs()));
        options.put("--weight-decay", Double.toString(r.weightDecay()));
        return new PassRequest(identity, options);
    }
}
