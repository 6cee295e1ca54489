package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheStore;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * An engine that spreads an extraction over many processes and still fills the cache entry a single machine would
 * (same key, same shard files). Implementations (the spark module) are found through {@link ServiceLoader}, so the
 * command line does not depend on them and their jars are loaded only when asked for.
 */
public interface DistributedEngine {
    /** The name users choose it by, e.g. "spark". */
    String name();

    /** Connects to {@code master} (engine-specific, e.g. {@code local[4]} or a cluster URL) for the extractions of one command. */
    Session start(String master, CacheStore store);

    /** An open connection; closing it releases the engine's resources. */
    interface Session extends AutoCloseable {
        /** As {@link Extractor#ensure}: the complete entry for {@code request}, extracted or resumed when missing. */
        ExtractResult ensure(ExtractRequest request);

        @Override
        void close();
    }

    /** The engine named {@code name} on the class path, if any. */
    static Optional<DistributedEngine> named(String name) {
        for (DistributedEngine e : ServiceLoader.load(DistributedEngine.class)) {
            if (e.name().equals(name)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
