package io.glimpse.extract.pipeline;

import io.glimpse.extract.dataset.ImageDataset;
import io.glimpse.extract.image.AugmentParams;
import io.glimpse.extract.image.AugmentTransform;
import io.glimpse.extract.image.BadImageException;
import io.glimpse.extract.image.EvalTransform;
import io.glimpse.extract.image.Normalizer;
import io.glimpse.extract.image.Preprocessing;
import io.glimpse.extract.image.U8Image;

import java.nio.FloatBuffer;

/** Decode + (eval or augmented) geometry + ToTensor/Normalize of one row, into a batch buffer. Thread-safe. */
public final class SampleTransform {
    private final Preprocessing preprocessing;
    private final Normalizer normalizer;
    private final AugmentTransform augment;

    /** {@code augment} null = only view 0 (plain) is possible. */
    public SampleTransform(Preprocessing preprocessing, AugmentParams augment) {
        this.preprocessing = preprocessing;
        this.normalizer = new Normalizer(preprocessing);
        this.augment = augment == null ? null : new AugmentTransform(preprocessing, augment);
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public void write(ImageDataset ds, int image, int view, long seed, FloatBuffer dst, int offset) throws BadImageException {
        U8Image img = ds.image(image, preprocessing.channels());
        U8Image geometric;
        if (view == 0) {
            geometric = EvalTransform.apply(preprocessing, img);
        } else {
            if (augment == null) throw new IllegalStateException("view " + view + " asked for without augmentation parameters");
            geometric = augment.apply(img, AugmentTransform.viewRandom(seed, image, view));
        }
        normalizer.write(geometric, dst, offset);
    }
}
