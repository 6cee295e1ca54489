package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.cache.vectors.MappedVectors;
import io.glimpse.cache.vectors.VectorKind;

import java.util.Iterator;
import java.util.List;

/**
 * The images of a {@link CacheView} served from the entry's vector sidecar: each row is one stored vector
 * ({@link VectorKind}) as a one-token sequence [B, 1, D] with {@link VectorKind#layout}. Same images, same epoch
 * order and same view draws as the token view it came from, so a head trained on it sees what it would have
 * pooled from the tokens.
 */
public final class CacheVectorView implements SelectableSource {
    private final TokenCache cache;
    private final CacheView view;
    private final VectorKind kind;
    private final MappedVectors vectors;

    CacheVectorView(TokenCache cache, CacheView view, VectorKind kind, MappedVectors vectors) {
        this.cache = cache;
        this.view = view;
        this.kind = kind;
        this.vectors = vectors;
    }

    public VectorKind kind() {
        return kind;
    }

    @Override
    public TokenLayout layout() {
        return kind.layout(cache.layout());
    }

    @Override
    public List<String> layers() {
        return cache.layers();
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public int numClasses() {
        return view.numClasses();
    }

    @Override
    public int[] labels() {
        return view.labels();
    }

    @Override
    public CacheVectorView subset(int[] positions) {
        return new CacheVectorView(cache, view.subset(positions), kind, vectors);
    }

    @Override
    public CacheVectorView heldOut(int[] positions) {
        return new CacheVectorView(cache, view.heldOut(positions), kind, vectors);
    }

    public CacheVectorView firstN(int n) {
        return new CacheVectorView(cache, view.firstN(n), kind, vectors);
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        RowReader reader = (rows, count, layer, out) -> vectors.gather(rows, count, layer, kind, out);
        return new CacheBatches(cache, view, plan, reader, null, layout().rowValues());
    }

    @Override
    public void close() {
    }
}
