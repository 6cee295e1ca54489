package io.glimpse.eval.head;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.glimpse.cache.TokenLayout;
import io.glimpse.eval.EvalInputException;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.HeadState;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;

import java.nio.file.Path;
import java.util.Map;

/**
 * A trained head rebuilt from its run folder: the probe, options and seed from result.json, the architecture from
 * the train stage's registry, the weights from the state of the selected epoch the trainer saved.
 */
public final class TrainedHead implements AutoCloseable {
    private final RunResult result;
    private final ProbeHead head;

    private TrainedHead(RunResult result, ProbeHead head) {
        this.result = result;
        this.head = head;
    }

    /** The head of the run in {@code runDir} over tokens of {@code layout}, classifying {@code numClasses} classes. */
    public static TrainedHead load(Path runDir, TokenLayout layout, int numClasses, NDManager manager) {
        RunDirectory dir = RunDirectory.open(runDir);
        return load(dir, dir.readResult(), layout, numClasses, manager);
    }

    static TrainedHead load(RunDirectory dir, RunResult result, TokenLayout layout, int numClasses, NDManager manager) {
        if (result.isKnn()) throw new EvalInputException(result.file() + ": a k-NN evaluation, not a trained probe head");
        Map<String, Object> o = result.options();
        ProbeOptions options = new ProbeOptions(option(o, "queries", ProbeOptions.DEFAULTS.queries()),
                option(o, "d_out", ProbeOptions.DEFAULTS.dOut()), option(o, "heads", ProbeOptions.DEFAULTS.heads()));
        long seed = result.seed() == null ? 0 : result.seed();
        ProbeHead head = new ProbeRegistry().create(result.probe(), options, layout, numClasses, manager, seed);
        try (NDManager scratch = manager.newSubManager(); NDList state = dir.readBestState(scratch)) {
            HeadState.restore(head, state, dir.path().resolve(RunDirectory.BEST_STATE).toString());
        } catch (RuntimeException e) {
            head.close();
            throw e;
        }
        return new TrainedHead(result, head);
    }

    private static int option(Map<String, Object> options, String name, int fallback) {
        return options.get(name) instanceof Number n ? n.intValue() : fallback;
    }

    public ProbeHead head() {
        return head;
    }

    public String probe() {
        return result.probe();
    }

    /** The cached layer the head was trained on (null when result.json does not say). */
    public String layer() {
        return result.layer();
    }

    @Override
    public void close() {
        head.close();
    }
}
