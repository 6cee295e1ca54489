package io.glimpse.extract.dataset;

import io.glimpse.extract.image.BadImageException;
import io.glimpse.extract.image.U8Image;

import java.util.List;

/**
 * One split of a labelled image dataset in a fixed order: index i has a stable id (relative path, or
 * {@code split/index} for IDX), a label (-1 when unknown) and an image decoded on demand. Implementations are
 * safe to read from several threads at once.
 */
public interface ImageDataset {
    /** Dataset name (from its config), part of the cache key. */
    String name();

    String split();

    int size();

    String id(int index);

    int label(int index);

    /** Class names by label; empty when the labels are plain integers. */
    List<String> classes();

    /** 1 + the largest label of this split (0 when unlabelled). */
    int numClasses();

    /** The decoded image with {@code channels} channels (1 = L, 3 = RGB). */
    U8Image image(int index, int channels) throws BadImageException;

    /**
     * Content fingerprint for the cache key: hashes of content where cheap, relative paths and sizes for large
     * trees; never modification times or absolute paths, so it is the same on every machine.
     */
    String fingerprint();
}
