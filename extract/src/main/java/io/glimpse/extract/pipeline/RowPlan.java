package io.glimpse.extract.pipeline;

/**
 * The rows to compute, in order: row r is image {@code images[r]} under view {@code views[r]}. View 0 is the
 * plain evaluation transform; view v &gt; 0 is an augmented view drawn from the stream (seed, image, v), so the
 * same plan gives the same pixels on every run and thread.
 */
public record RowPlan(int[] images, int[] views, long seed) {
    public RowPlan {
        if (images.length != views.length) throw new IllegalArgumentException("images and views differ in length");
    }

    public int size() {
        return images.length;
    }

    /** Every image of {@code 0..count-1} with views 0..k-1 each (row = image*k + view). */
    public static RowPlan extraction(int count, int k, long seed) {
        int[] images = new int[Math.multiplyExact(count, k)];
        int[] views = new int[images.length];
        for (int i = 0, r = 0; i < count; i++) {
            for (int v = 0; v < k; v++, r++) {
                images[r] = i;
                views[r] = v;
            }
        }
        return new RowPlan(images, views, seed);
    }
}
