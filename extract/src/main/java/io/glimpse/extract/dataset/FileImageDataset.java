package io.glimpse.extract.dataset;

import io.glimpse.extract.image.BadImageException;
import io.glimpse.extract.image.ImageDecoder;
import io.glimpse.extract.image.U8Image;

import java.nio.file.Path;
import java.util.List;

/**
 * A split made of image files (ImageFolder tree or a CSV/TSV list): ids are the paths relative to the root
 * with '/' separators, images are decoded on demand with ImageIO.
 */
public final class FileImageDataset implements ImageDataset {
    /** One image: its stable id, its file, its label (-1 unknown). */
    public record Entry(String id, Path file, int label) {
    }

    private final String name;
    private final String split;
    private final List<Entry> entries;
    private final List<String> classes;
    private final String fingerprint;
    private final int numClasses;

    public FileImageDataset(String name, String split, List<Entry> entries, List<String> classes, String fingerprint) {
        this.name = name;
        this.split = split;
        this.entries = List.copyOf(entries);
        this.classes = List.copyOf(classes);
        this.fingerprint = fingerprint;
        int max = -1;
        for (Entry e : entries) max = Math.max(max, e.label());
        this.numClasses = Math.max(max + 1, classes.size());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String split() {
        return split;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public String id(int index) {
        return entries.get(index).id();
    }

    @Override
    public int label(int index) {
        return entries.get(index).label();
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public U8Image image(int index, int channels) throws BadImageException {
        return ImageDecoder.decode(entries.get(index).file(), channels);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }
}
