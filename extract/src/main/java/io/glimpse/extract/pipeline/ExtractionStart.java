package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryWriter;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.WriterOptions;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.dataset.ImageDataset;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.function.ToLongFunction;

/**
 * What every extraction engine (one JVM, Spark) does before its first image, so they plan, check space, open and
 * resume an entry the same way: the rows to compute, the entry's writer, and where a resumed run starts.
 *
 * @param images    images of the split this request covers (its limit applied)
 * @param committed rows already committed when this run started
 * @param skipped   ids of images skipped as undecodable in the committed rows (with --skip-bad); the run adds to it
 * @param from      first row of the plan still to compute
 */
public record ExtractionStart(EntryWriter writer, RowPlan plan, TokenLayout layout, int images, long committed,
                              LinkedHashSet<String> skipped, int from) implements AutoCloseable {

    /** Plans the rows, refuses what visibly does not fit on the disk, opens the entry's writer and finds the resume row. */
    public static ExtractionStart open(CacheStore store, CacheDescription d, ImageDataset dataset, OnnxBackbone backbone,
                                       ExtractRequest request, ToLongFunction<Path> usableSpace) {
        int images = d.limit() > 0 ? d.limit() : dataset.size();
        if (images == 0) throw new ExtractInputException("dataset " + dataset.name() + " split " + request.split() + " has no images");
        RowPlan plan = RowPlan.extraction(images, d.views(), request.seed());
        TokenLayout layout = backbone.layout();
        EntrySpace.require(store, d, layout, plan.size(), usableSpace);
        EntryWriter writer = store.openWriter(d, layout, new WriterOptions(request.rowsPerShard(), WriterOptions.ONE_GIB, 0, plan.size()));
        try {
            long committed = writer.committedRows();
            if (committed > plan.size()) {
                throw new ExtractInputException("cache entry " + d.key().shortForm() + " holds " + committed + " rows, more than the " + plan.size() + " planned; remove it");
            }
            LinkedHashSet<String> skipped = new LinkedHashSet<>();
            int from = ExtractionRun.resumeRow(dataset, plan, writer.committedShards(), committed, writer.rowsPerShard(), request.skipBad(),
                    backbone.preprocessing().channels(), skipped);
            return new ExtractionStart(writer, plan, layout, images, committed, skipped, from);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
