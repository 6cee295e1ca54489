package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.VectorBuildProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The last step of an extraction, once the entry is complete: its CLS / patch-mean vector sidecar, built in one
 * pass over the shards just written (still in the page cache), so CLS-only and mean-only passes never wait for it.
 * Every engine that completes an entry (this JVM's {@link Extractor}, a distributed driver) ends with it.
 */
public final class EntryVectorsStep {
    private EntryVectorsStep() {
    }

    public static void build(CacheStore store, CacheKey key, boolean progress) {
        try (TokenCache cache = store.openReader(key)) {
            EntryVectors.ensure(cache, progress ? new Bar() : VectorBuildProgress.SILENT);
        }
    }

    private static final class Bar implements VectorBuildProgress {
        private ProgressBar bar;

        @Override
        public void start(String entry, long rows, String reason) {
            bar = new ProgressBarBuilder().setTaskName("vectors").setInitialMax(rows).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" rows", 1).showSpeed().build();
        }

        @Override
        public void rowsDone(long rows) {
            bar.stepTo(rows);
        }

        @Override
        public void end() {
            if (bar != null) bar.close();
        }
    }
}
