package io.glimpse.cache;

import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.cache.read.SeededOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A deterministic subset of a {@link TokenCache}'s images, itself a {@link TokenSource}. Views share the cache's
 * mappings; closing a view does nothing, closing the cache ends them all. Subsets keep stored order, and every
 * draw depends only on the seed, so the same call gives the same images on every run.
 */
public final class CacheView implements TokenSource {
    private final TokenCache cache;
    private final int[] images; // null = every image

    CacheView(TokenCache cache, int[] images) {
        this.cache = cache;
        this.images = images;
    }

    /** Train and held-out validation views. */
    public record Split(CacheView train, CacheView validation) {
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

    public TokenCache cache() {
        return cache;
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        return new CacheBatches(cache, this, plan);
    }

    public CacheView firstN(int n) {
        if (n < 0) throw new BadInputException("subset size must be >= 0, got " + n);
        int m = Math.min(n, size());
        int[] sel = new int[m];
        for (int i = 0; i < m; i++) {
            sel[i] = image(i);
        }
        return new CacheView(cache, sel);
    }

    /** {@code k} labelled images per class (all of a class with fewer), drawn with {@code seed}; unlabelled images are left out. */
    public CacheView kPerClass(int k, long seed) {
        if (k <= 0) throw new BadInputException("shots per class must be > 0, got " + k);
        List<int[]> byClass = byClass();
        List<Integer> chosen = new ArrayList<>();
        for (int c = 1; c < byClass.size(); c++) { // group 0 holds unlabelled images: they belong to no class
            int[] members = byClass.get(c).clone();
            new SeededOrder(seed, c).shuffle(members);
            for (int i = 0; i < Math.min(k, members.length); i++) {
                chosen.add(members[i]);
            }
        }
        return new CacheView(cache, sortedImages(chosen));
    }

    public Split validationSplit(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new BadInputException("validation fraction must be in (0, 1), got " + fraction);
        List<int[]> byClass = byClass();
        List<Integer> val = new ArrayList<>();
        List<Integer> train = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            int[] members = byClass.get(c).clone();
            new SeededOrder(seed, 1_000_003L + c).shuffle(members);
            int held = (int) Math.round(fraction * members.length);
            for (int i = 0; i < members.length; i++) {
                (i < held ? val : train).add(members[i]);
            }
        }
        return new Split(new CacheView(cache, sortedImages(train)), new CacheView(cache, sortedImages(val)));
    }

    /** Image numbers of this view grouped by label (index = label + 1, so unknown labels −1 form group 0). */
    private List<int[]> byClass() {
        int groups = cache.numClasses() + 1;
        int[] counts = new int[groups];
        for (int i = 0; i < size(); i++) {
            counts[label(i) + 1]++;
        }
        List<int[]> out = new ArrayList<>();
        int[] fill = new int[groups];
        for (int g = 0; g < groups; g++) {
            out.add(new int[counts[g]]);
        }
        for (int i = 0; i < size(); i++) {
            int g = label(i) + 1;
            out.get(g)[fill[g]++] = image(i);
        }
        return out;
    }

    private static int[] sortedImages(List<Integer> list) {
        int[] a = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Views share the cache's mappings; nothing to release here. */
    @Override
    public void close() {
    }
}
