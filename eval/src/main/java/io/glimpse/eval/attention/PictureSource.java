package io.glimpse.eval.attention;

import java.awt.image.BufferedImage;

/**
 * "Give me the picture of sample X": the image the backbone saw for a cached sample id, as the attention overlays
 * draw it. Eval knows nothing of datasets or image decoding; the CLI implements this with the extract stage's
 * dataset classes and eval preprocessing.
 */
public interface PictureSource {
    /** The picture of {@code id}; throws {@link io.glimpse.cache.EvalInputException} for an unknown id. */
    BufferedImage picture(String id);

    /** Human-readable class name of a label, or the number itself. */
    default String className(int label) {
        return Integer.toString(label);
    }
}
