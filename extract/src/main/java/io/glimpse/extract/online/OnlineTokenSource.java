package io.glimpse.extract.online;

import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.read.SeededOrder;
import io.glimpse.cache.select.SelectableSource;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.backbone.BackboneConfig;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.OnnxBackbone;
import io.glimpse.extract.config.Hashing;
import io.glimpse.extract.dataset.DatasetConfig;
import io.glimpse.extract.dataset.DatasetConfigLoader;
import io.glimpse.extract.pipeline.ExtractRequest;
import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.pipeline.BatchProducer;
import io.glimpse.extract.pipeline.PreparedBatch;
import io.glimpse.extract.pipeline.RowPlan;
import io.glimpse.extract.pipeline.SampleTransform;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The online protocol: the frozen backbone in the training loop, no cache. Every batch is decoded, preprocessed
 * (with a fresh random augmentation per epoch when asked; view streams are seeded by (seed, epoch, image), so a
 * rerun sees the same pixels) and run through the ONNX model. Image order per epoch is the same seeded
 * permutation the cache reader uses, so online and cached runs visit images in the same order. Labels come from
 * the dataset, so a {@link io.glimpse.cache.select.RowSelection} picks its images before the backbone runs;
 * subsets share the backbone, which the source that opened it closes.
 */
public final class OnlineTokenSource implements SelectableSource {
    private final OnnxBackbone backbone;
    private final ImageDataset dataset;
    private final DatasetConfig config;
    private final SampleTransform transform;
    private final int[] images;
    private final boolean augment;
    private final long seed;
    private final int workers;
    private final boolean ownsBackbone;
    private final List<BatchProducer> open = new ArrayList<>();

    private OnlineTokenSource(OnnxBackbone backbone, ImageDataset dataset, DatasetConfig config, int[] images, boolean augment,
                              long seed, int workers, boolean ownsBackbone) {
        this.backbone = backbone;
        this.dataset = dataset;
        this.config = config;
        this.transform = new SampleTransform(backbone.preprocessing(), augment ? config.augment() : null);
        this.images = images;
        this.augment = augment;
        this.seed = seed;
        this.workers = workers;
        this.ownsBackbone = ownsBackbone;
    }

    /**
     * Opens the backbone (validated as for extraction) over one split. {@code layers} empty = the backbone's
     * default; {@code augment} applies the dataset's training augmentation (the caller enables it for the
     * training split only); {@code limit} 0 = every image.
     */
    public static OnlineTokenSource open(BackboneConfig backbone, DatasetConfig dataset, String split, List<String> layers,
                                         boolean augment, long seed, int limit, BackboneOptions options) {
        ImageDataset ds = DatasetConfigLoader.open(dataset, split);
        int n = limit > 0 ? Math.min(limit, ds.size()) : ds.size();
        if (n == 0) throw new ExtractInputException("dataset " + dataset.name() + " split " + split + " has no images");
        OnnxBackbone bb = OnnxBackbone.open(backbone, layers, options);
        int workers = ExtractRequest.defaultWorkers();
        return new OnlineTokenSource(bb, ds, dataset, identity(n), augment, seed, workers, true);
    }

    @Override
    public int[] labels() {
        int[] out = new int[images.length];
        for (int i = 0; i < out.length; i++) out[i] = dataset.label(images[i]);
        return out;
    }

    @Override
    public OnlineTokenSource subset(int[] positions) {
        return new OnlineTokenSource(backbone, dataset, config, images(positions), augment, seed, workers, false);
    }

    /** As {@link #subset}, without augmentation: the backbone sees each image under the evaluation transform. */
    @Override
    public OnlineTokenSource heldOut(int[] positions) {
        return new OnlineTokenSource(backbone, dataset, config, images(positions), false, seed, workers, false);
    }

    private int[] images(int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < out.length; i++) {
            if (i > 0 && positions[i] <= positions[i - 1]) throw new IllegalArgumentException("positions must ascend: " + positions[i - 1] + ", " + positions[i]);
            out[i] = images[positions[i]];
        }
        return out;
    }

    /**
     * What these tokens are computed from, in place of a cache key: the model file's and the split's content hashes
     * (16 hex digits each), so that a resumed online pass notices a changed model or dataset as a cached one does.
     */
    public String origin() {
        return "model " + backbone.sha256().substring(0, 16) + " data " + Hashing.sha256(dataset.fingerprint()).substring(0, 16);
    }

    @Override
    public TokenLayout layout() {
        return backbone.layout();
    }

    @Override
    public List<String> layers() {
        return backbone.layers();
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public int numClasses() {
        return dataset.numClasses();
    }

    @Override
    public Iterator<TokenBatch> batches(EpochPlan plan) {
        int[] order = plan.shuffle() ? SeededOrder.permutation(images.length, plan.seed(), plan.epoch()) : identity(images.length);
        if (plan.dropLast()) order = Arrays.copyOf(order, order.length / plan.batchSize() * plan.batchSize());
        for (int i = 0; i < order.length; i++) order[i] = images[order[i]];
        int[] views = new int[order.length];
        if (augment) Arrays.fill(views, 1);
        RowPlan rows = new RowPlan(order, views, SeededOrder.mix(seed ^ SeededOrder.mix(plan.epoch() + 0x9E3779B97F4A7C15L)));
        BatchProducer producer = new BatchProducer(dataset, transform, rows, 0, plan.batchSize(), workers, 2);
        synchronized (open) {
            open.add(producer);
        }
        return new Epoch(producer, plan.batchSize(), rows);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** One epoch's iterator: one batch computed ahead of time, output buffers reused between batches. */
    private final class Epoch implements Iterator<TokenBatch> {
        private final BatchProducer producer;
        private final RowPlan rows;
        private final Map<String, FloatBuffer> out = new HashMap<>();
        private PreparedBatch pending;
        private boolean done;

        Epoch(BatchProducer producer, int batchSize, RowPlan rows) {
            this.producer = producer;
            this.rows = rows;
            for (String l : backbone.layers()) out.put(l, OnnxBackbone.directFloats(batchSize * backbone.layout().rowValues()));
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !done) {
                pending = producer.next();
                if (pending == null) finish();
            }
            return pending != null;
        }

        @Override
        public TokenBatch next() {
            if (!hasNext()) throw new NoSuchElementException();
            PreparedBatch b = pending;
            pending = null;
            if (!b.failures().isEmpty()) {
                finish();
                throw new ExtractInputException(b.failures().get(0).reason());
            }
            backbone.run(b.input(), b.count(), out);
            int[] labels = new int[b.count()];
            String[] ids = new String[b.count()];
            for (int i = 0; i < b.count(); i++) {
                int image = rows.images()[b.rows()[i]];
                labels[i] = dataset.label(image);
                ids[i] = dataset.id(image);
            }
            producer.release(b);
            return new OnlineBatch(b.count(), labels, ids, out, backbone.layout().rowValues());
        }

        private void finish() {
            done = true;
            producer.close();
            synchronized (open) {
                open.remove(producer);
            }
        }
    }

    @Override
    public void close() {
        synchronized (open) {
            open.forEach(BatchProducer::close);
            open.clear();
        }
        if (ownsBackbone) backbone.close();
    }
}
