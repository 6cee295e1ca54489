package io.glimpse.train.loop;

import io.glimpse.train.config.HeadSpec;
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
 * base lr, weight decay, in pass order), the data (backbone, dataset, cache keys, row counts of the sources as given,
 * class count, row selection) and the seed; the options are the recipe the heads share.
 */
final class PassRequests {
    static final String HEAD = "head ";

    private PassRequests() {
    }

    /** How the identity names one head. */
    static String headLine(HeadSpec spec, Map<String, Object> optionsUsed) {
        return spec.probe() + " " + new TreeMap<>(optionsUsed) + " layer " + spec.layer() + " blr " + spec.blr()
                + (spec.weightDecay() == 0 ? "" : " weight decay " + spec.weightDecay());
    }

    /** {@code heads}: the {@link #headLine}s of the pass's heads, in pass order. */
    static PassRequest of(TrainRequest request, List<String> heads, int trainRows, int testRows, int classes) {
        Map<String, String> identity = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) identity.put(HEAD + (i + 1), heads.get(i));
        identity.putAll(data(request, trainRows, testRows, classes));
        return new PassRequest(identity, options(request.recipe()));
    }

    /** The identity without its heads: what every pass of one run shares. */
    static Map<String, String> data(TrainRequest request, int trainRows, int testRows, int classes) {
        Map<String, String> identity = new LinkedHashMap<>();
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
        identity.put("--seed", Integer.toString(request.recipe().seed()));
        return identity;
    }

    static Map<String, String> options(Recipe r) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--optimizer", r.optimizer().cliName());
        options.put("--batch", Integer.toString(r.batch()));
        options.put("--epochs", Integer.toString(r.epochs()));
        options.put("--warmup", Double.toString(r.warmupEpochs()));
        return options;
    }
}
