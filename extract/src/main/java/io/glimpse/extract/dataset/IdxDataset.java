package io.glimpse.extract.dataset;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.Hashing;
import io.glimpse.extract.image.BadImageException;
import io.glimpse.extract.image.U8Image;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST family's IDX files (optionally gzipped): unsigned-byte images [N, H, W] (magic 0x803) and labels [N]
 * (magic 0x801). The arrays are read once, on first use, so fingerprinting (hashes of the files) stays cheap.
 */
public final class IdxDataset implements ImageDataset {
    private final String name;
    private final String split;
    private final Path imagesFile;
    private final Path labelsFile;
    private final List<String> classes;
    private volatile Loaded loaded;

    private record Loaded(int count, int rows, int cols, byte[] pixels, byte[] labels, int numClasses) {
    }

    public IdxDataset(String name, String split, Path imagesFile, Path labelsFile, List<String> classes) {
        this.name = name;
        this.split = split;
        this.imagesFile = imagesFile;
        this.labelsFile = labelsFile;
        this.classes = List.copyOf(classes);
        for (Path p : labelsFile == null ? List.of(imagesFile) : List.of(imagesFile, labelsFile)) {
            if (!Files.isRegularFile(p)) throw new ExtractInputException("dataset " + name + " split " + split + ": " + p + " not found");
        }
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                if (loaded == null) loaded = load();
                l = loaded;
            }
        }
        return l;
    }

    private Loaded load() {
        int count, rows, cols;
        byte[] pixels, labels = null;
        try (DataInputStream in = open(imagesFile)) {
            int magic = in.readInt();
            if (magic != 0x803) throw new ExtractInputException(imagesFile + ": not an IDX unsigned-byte image file (magic 0x" + Integer.toHexString(magic) + ", expected 0x803)");
            count = in.readInt();
            rows = in.readInt();
            cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0) throw new ExtractInputException(imagesFile + ": bad IDX dimensions " + count + "x" + rows + "x" + cols);
            pixels = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
            in.readFully(pixels);
        } catch (EOFException e) {
            throw new ExtractInputException(imagesFile + ": truncated IDX file", e);
        } catch (IOException e) {
            throw new ExtractInputException(imagesFile + ": cannot read (" + e.getMessage() + ")", e);
        }
        int numClasses = 0;
        if (labelsFile != null) {
            try (DataInputStream in = open(labelsFile)) {
                int magic = in.readInt();
                if (magic != 0x801) throw new ExtractInputException(labelsFile + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ", expected 0x801)");
                int n = in.readInt();
                if (n != count) throw new ExtractInputException(labelsFile + ": " + n + " labels for " + count + " images in " + imagesFile.getFileName());
                labels = new byte[n];
                in.readFully(labels);
            } catch (EOFException e) {
                throw new ExtractInputException(labelsFile + ": truncated IDX file", e);
            } catch (IOException e) {
                throw new ExtractInputException(labelsFile + ": cannot read (" + e.getMessage() + ")", e);
            }
            for (byte b : labels) numClasses = Math.max(numClasses, (b & 0xFF) + 1);
        }
        return new Loaded(count, rows, cols, pixels, labels, numClasses);
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = Files.newInputStream(p);
        return new DataInputStream(new java.io.BufferedInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String split() {
        return split;
    }

    /** From the loaded arrays, or else from the image file's 8-byte header (a cache lookup needs no pixels). */
    @Override
    public int size() {
        Loaded l = loaded;
        if (l != null) return l.count();
        try (DataInputStream in = open(imagesFile)) {
            int magic = in.readInt();
            if (magic != 0x803) return loaded().count(); // load() reports the bad file
            return in.readInt();
        } catch (IOException e) {
            throw new ExtractInputException(imagesFile + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String id(int index) {
        int digits = Math.max(6, Integer.toString(Math.max(0, loaded().count() - 1)).length());
        return split + "/" + String.format("%0" + digits + "d", index);
    }

    @Override
    public int label(int index) {
        Loaded l = loaded();
        return l.labels() == null ? -1 : l.labels()[index] & 0xFF;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int numClasses() {
        return loaded().numClasses();
    }

    @Override
    public U8Image image(int index, int channels) throws BadImageException {
        Loaded l = loaded();
        if (index < 0 || index >= l.count()) throw new IndexOutOfBoundsException("image " + index + " of " + l.count());
        int plane = l.rows() * l.cols();
        byte[] gray = new byte[plane];
        System.arraycopy(l.pixels(), index * plane, gray, 0, plane);
        if (channels == 1) return new U8Image(l.cols(), l.rows(), 1, gray);
        byte[] rgb = new byte[plane * 3];
        for (int i = 0; i < plane; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
        return new U8Image(l.cols(), l.rows(), 3, rgb);
    }

    @Override
    public String fingerprint() {
        String labels = labelsFile == null ? "none" : Hashing.sha256(labelsFile);
        return Hashing.sha256("idx:images=" + Hashing.sha256(imagesFile) + ";labels=" + labels);
    }
}
