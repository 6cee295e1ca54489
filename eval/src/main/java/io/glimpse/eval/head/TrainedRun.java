package io.glimpse.eval.head;

import ai.djl.ndarray.NDManager;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.train.run.RunCaches;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;

import java.nio.file.Path;

/**
 * A finished run opened for evaluation: its result, the train and test caches it was trained and tested on, and its
 * head rebuilt over them. What every command that evaluates a trained run starts from.
 */
public final class TrainedRun implements AutoCloseable {
    private final RunResult result;
    private final RunCaches caches;
    private final TrainedHead head;

    private TrainedRun(RunResult result, RunCaches caches, TrainedHead head) {
        this.result = result;
        this.caches = caches;
        this.head = head;
    }

    /** Opens the run given as its folder or its result.json. */
    public static TrainedRun open(Path run, CacheStore store, NDManager manager) {
        RunDirectory dir = RunDirectory.open(run);
        RunResult result = dir.readResult();
        RunCaches caches = RunCaches.of(store, result);
        try {
            return new TrainedRun(result, caches, TrainedHead.load(dir, result, caches.train().layout(), caches.numClasses(), manager));
        } catch (RuntimeException e) {
            caches.close();
            throw e;
        }
    }

    public RunResult result() {
        return result;
    }

    public TrainedHead head() {
        return head;
    }

    public TokenCache test() {
        return caches.test();
    }

    /** The layer the head was trained on; the test cache's first when result.json does not say. */
    public String layer() {
        return head.layer() != null ? head.layer() : caches.test().layers().get(0);
    }

    @Override
    public void close() {
        try {
            head.close();
        } finally {
            caches.close();
        }
    }
}
