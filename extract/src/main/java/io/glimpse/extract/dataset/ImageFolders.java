package io.glimpse.extract.dataset;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.Hashing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * torchvision's ImageFolder layout, {@code root/<class>/<...>/<image>}: classes are the sub-directory names
 * sorted, files are taken in sorted relative-path order, with torchvision's image extensions. The fingerprint
 * hashes each file's relative path and size (reading every image would cost as much as decoding it).
 */
public final class ImageFolders {
    static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif");

    private ImageFolders() {
    }

    /** Sorted class directory names under {@code root}. */
    public static List<String> classes(Path root) {
        if (!Files.isDirectory(root)) throw new ExtractInputException("image folder " + root + " not found");
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ExtractInputException(root + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** The split under {@code root}, labelled by position in {@code classes} (the sorted union over all splits). */
    public static FileImageDataset open(String name, String split, Path root, List<String> classes) {
        List<FileImageDataset.Entry> entries = new ArrayList<>();
        MessageDigest md = Hashing.sha256();
        for (String cls : classes(root)) {
            int label = classes.indexOf(cls);
            Path dir = root.resolve(cls);
            TreeSet<String> rel = new TreeSet<>();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).filter(ImageFolders::isImage)
                        .forEach(p -> rel.add(root.relativize(p).toString().replace('\\', '/')));
            } catch (IOException | UncheckedIOException e) {
                throw new ExtractInputException(dir + ": cannot list (" + e.getMessage() + ")", e);
            }
            for (String r : rel) {
                Path file = root.resolve(r);
                entries.add(new FileImageDataset.Entry(r, file, label));
                try {
                    md.update((r + "\t" + Files.size(file) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ExtractInputException(file + ": cannot stat (" + e.getMessage() + ")", e);
                }
            }
        }
        if (entries.isEmpty()) throw new ExtractInputException("image folder " + root + " has no images in class sub-directories (root/<class>/<image>)");
        String fp = "imagefolder:" + HexFormat.of().formatHex(md.digest()) + ";classes=" + Hashing.sha256(String.join("\n", classes));
        return new FileImageDataset(name, split, entries, classes, Hashing.sha256(fp));
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot)) && !n.startsWith(".");
    }
}
