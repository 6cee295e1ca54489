package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.read.Gatherer;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.ReadMode;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.cache.vectors.VectorBuildProgress;
import io.glimpse.cache.vectors.VectorKind;
import io.glimpse.cache.vectors.VectorReadable;

import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.List;

/**
 * Some of a {@link TokenCache}'s images, in stored order, itself a token source: the first N, or the rows a
 * {@link io.glimpse.cache.select.RowSelection} chose. Views share the cache's mappings; closing a view does
 * nothing, closing the cache ends them all.
 */
public final class CacheView implements SelectableSource, VectorReadable {
    private final TokenCache cache;
    private final int[] images; // null = every image
    private final boolean plainView;

    CacheView(TokenCache cache, int[] images, boolean plainView) {
        this.cache = cache;
        this.images = images;
        this.plainView = plainView;
    }

    @Override
    public TokenLayout layout() {
        return cache.layout();
    }

    @Override
    public List<String> layers() {
        return cache.layers();
    }

    @Override
    public int size() {
        return images == null ? cache.size() : images.length;
    }

    /** Classes of the whole entry, so heads trained on a subset keep the full label space. */
    @Override
    public int numClasses() {
        return cache.numClasses();
    }

    /** Image number (in the entry) of this view's i-th image. */
    public int image(int i) {
        return images == null ? i : images[i];
    }

    public int label(int i) {
        return cache.imageLabel(image(i));
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        if (cache.readMode() == ReadMode.STREAM) return new StreamBatches(cache, this, plan, cache.streamReader(), cache.layout().rowValues());
        Gatherer gatherer = cache.newGatherer();
        // float16 rows can be handed over as stored, for a consumer that widens them faster (a tensor engine)
        boolean halves = cache.dtype() == TokenDtype.FLOAT16 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        return new CacheBatches(cache, this, plan, gatherer::gather, halves ? gatherer::gatherStored : null, cache.layout().rowValues());
    }

    public CacheView firstN(int n) {
        if (n < 0) throw new BadInputException("subset size must be >= 0, got " + n);
        int m = Math.min(n, size());
        int[] sel = new int[m];
        for (int i = 0; i < m; i++) {
            sel[i] = image(i);
        }
        return new CacheView(cache, sel, plainView);
    }

    /** Labels of this view's images, in its order. */
    @Override
    public int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    @Override
    public CacheView subset(int[] positions) {
        return new CacheView(cache, images(positions), false);
    }

    /** As {@link #subset}, always reading view 0 (the evaluation transform) of a multi-view entry. */
    @Override
    public CacheView heldOut(int[] positions) {
        return new CacheView(cache, images(positions), true);
    }

    /** These images as one stored vector each, from the entry's vector sidecar (built first when missing or damaged). */
    @Override
    public CacheVectorView vectors(VectorKind kind, VectorBuildProgress progress) {
        return new CacheVectorView(cache, this, kind, cache.vectorSidecar(progress));
    }

    /** Whether every epoch reads view 0 of each image instead of drawing one of its views. */
    boolean plainView() {
        return plainView;
    }

    private int[] images(int[] positions) {
        int[] sel = new int[positions.length];
        for (int i = 0; i < sel.length; i++) {
            if (i > 0 && positions[i] <= positions[i - 1]) throw new IllegalArgumentException("positions must ascend: " + positions[i - 1] + ", " + positions[i]);
            sel[i] = image(positions[i]);
        }
        return sel;
    }

    /** Views share the cache's mappings; nothing to release here. */
    @Override
    public void close() {
    }
}
