package io.glimpse.extract.dataset;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.Hashing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A CSV or TSV list of {@code path,label} lines (an optional header whose first field is "path" is skipped; a
 * line with only a path is unlabelled). Paths are relative to the list's root. Labels are integers, or class
 * names mapped to their index in the sorted union over every split's list. The fingerprint hashes the list
 * file's content and each image's size.
 */
public final class ListFiles {
    private ListFiles() {
    }

    /** One parsed line. */
    record Line(String path, String label, int lineNumber) {
    }

    static List<Line> read(Path list) {
        if (!Files.isRegularFile(list)) throw new ExtractInputException("list file " + list + " not found");
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw new ExtractInputException(list + ": cannot read (" + e.getMessage() + ")", e);
        }
        boolean tsv = list.getFileName().toString().toLowerCase().endsWith(".tsv") || (!lines.isEmpty() && lines.get(0).contains("\t"));
        String sep = tsv ? "\t" : ",";
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#")) continue;
            String[] f = raw.split(sep, -1);
            if (i == 0 && f[0].strip().equalsIgnoreCase("path")) continue;
            if (f.length > 2) throw new ExtractInputException(list + " line " + (i + 1) + ": expected path" + sep + "label, got " + f.length + " fields");
            out.add(new Line(f[0].strip(), f.length == 2 ? f[1].strip() : "", i + 1));
        }
        if (out.isEmpty()) throw new ExtractInputException(list + ": no image lines");
        return out;
    }

    /** Class names used by these lists when any label is not an integer; empty when all labels are integers. */
    public static List<String> classNames(List<Path> lists) {
        TreeSet<String> names = new TreeSet<>();
        boolean allInts = true;
        for (Path p : lists) {
            for (Line l : read(p)) {
                if (l.label().isEmpty()) continue;
                names.add(l.label());
                allInts &= l.label().matches("-?\\d+");
            }
        }
        return allInts ? List.of() : List.copyOf(names);
    }

    public static FileImageDataset open(String name, String split, Path list, Path root, List<String> classes) {
        List<FileImageDataset.Entry> entries = new ArrayList<>();
        StringBuilder sizes = new StringBuilder();
        for (Line l : read(list)) {
            Path file = root.resolve(l.path()).normalize();
            int label;
            if (l.label().isEmpty()) label = -1;
            else if (classes.isEmpty()) label = Integer.parseInt(l.label());
            else label = classes.indexOf(l.label());
            if (!Files.isRegularFile(file)) throw new ExtractInputException(list + " line " + l.lineNumber() + ": image " + file + " not found");
            try {
                sizes.append(Files.size(file)).append('\n');
            } catch (IOException e) {
                throw new ExtractInputException(file + ": cannot stat (" + e.getMessage() + ")", e);
            }
            entries.add(new FileImageDataset.Entry(l.path().replace('\\', '/'), file, label));
        }
        String fp = "list:" + Hashing.sha256(list) + ";sizes=" + Hashing.sha256(sizes.toString()) + ";classes=" + Hashing.sha256(String.join("\n", classes));
        return new FileImageDataset(name, split, entries, classes, Hashing.sha256(fp));
    }
}
