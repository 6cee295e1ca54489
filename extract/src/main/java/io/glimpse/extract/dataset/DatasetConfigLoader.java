package io.glimpse.extract.dataset;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.ConfigMap;
import io.glimpse.extract.image.AugmentParams;
import io.glimpse.extract.image.ResizeFilter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code conf/datasets/NAME.yaml} and opens its splits. Relative paths resolve against {@code dir} (itself
 * relative to the config file); {@code ${VAR:-default}} in {@code dir} takes an environment variable, so a
 * machine can point a shipped config at its own copy of the data.
 */
public final class DatasetConfigLoader {
    private static final Set<String> KEYS = Set.of("name", "format", "dir", "splits", "classes", "augment");
    private static final Set<String> AUGMENT_KEYS = Set.of("scale", "ratio", "flip", "filter");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private DatasetConfigLoader() {
    }

    /** A .yaml config; a bare name means conf/datasets/NAME.yaml. */
    public static DatasetConfig load(String arg) {
        return load(arg, System::getenv);
    }

    static DatasetConfig load(String arg, UnaryOperator<String> env) {
        Path file = Path.of(arg);
        if (!Files.exists(file) && !arg.contains("/") && !arg.contains(".")) file = Path.of("conf", "datasets", arg + ".yaml");
        if (!Files.isRegularFile(file)) throw new ExtractInputException("--dataset " + arg + ": file not found");
        ConfigMap c = ConfigMap.read(file);
        c.rejectUnknown(KEYS);
        String name = c.string("name", file.getFileName().toString().replaceFirst("(?i)\\.ya?ml$", ""));
        DatasetFormat format;
        try {
            format = DatasetFormat.valueOf(c.requiredString("format").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtractInputException(file + ": 'format' must be one of idx, imagefolder, list, got '" + c.string("format", "") + "'");
        }
        Path dir = ConfigMap.resolve(file, expand(c.string("dir", "."), env));
        ConfigMap splitsSection = c.section("splits");
        if (splitsSection.keys().isEmpty()) throw new ExtractInputException(file + ": 'splits' must name at least one split");
        Map<String, Map<String, Path>> splits = new LinkedHashMap<>();
        Set<String> allowed = switch (format) {
            case IDX -> Set.of("images", "labels");
            case IMAGEFOLDER -> Set.of("root");
            case LIST -> Set.of("file", "root");
        };
        for (String split : splitsSection.keys()) {
            ConfigMap s = splitsSection.section(split);
            s.rejectUnknown(allowed);
            Map<String, Path> paths = new LinkedHashMap<>();
            for (String k : s.keys()) paths.put(k, dir.resolve(expand(s.requiredString(k), env)).normalize());
            String required = format == DatasetFormat.IDX ? "images" : format == DatasetFormat.LIST ? "file" : "root";
            if (!paths.containsKey(required)) throw new ExtractInputException(file + ": split '" + split + "' needs '" + required + "'");
            splits.put(split, paths);
        }
        List<String> classes = c.has("classes") ? c.strings("classes") : List.of();
        return new DatasetConfig(name, format, splits, classes, augment(c.section("augment")), file);
    }

    private static AugmentParams augment(ConfigMap a) {
        a.rejectUnknown(AUGMENT_KEYS);
        AugmentParams d = AugmentParams.defaults();
        double[] scale = a.has("scale") ? a.numbers("scale") : new double[] {d.scaleMin(), d.scaleMax()};
        double[] ratio = a.has("ratio") ? a.numbers("ratio") : new double[] {d.ratioMin(), d.ratioMax()};
        if (scale.length != 2 || ratio.length != 2) throw new ExtractInputException(a.where() + ": scale and ratio are [min, max] pairs");
        try {
            return new AugmentParams(scale[0], scale[1], ratio[0], ratio[1], a.number("flip", d.flipProbability()),
                    a.has("filter") ? ResizeFilter.parse(a.raw("filter"), a.where() + " filter") : d.filter());
        } catch (IllegalArgumentException e) {
            throw new ExtractInputException(a.where() + ": " + e.getMessage());
        }
    }

    static String expand(String value, UnaryOperator<String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null || v.isEmpty()) v = m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Opens one split; the error lists the splits the config has. */
    public static ImageDataset open(DatasetConfig cfg, String split) {
        Map<String, Path> paths = cfg.splits().get(split);
        if (paths == null) throw new ExtractInputException("--split " + split + ": dataset " + cfg.name() + " has splits " + String.join(", ", cfg.splits().keySet()));
        return switch (cfg.format()) {
            case IDX -> new IdxDataset(cfg.name(), split, paths.get("images"), paths.get("labels"), cfg.classes());
            case IMAGEFOLDER -> {
                List<String> classes = cfg.classes();
                if (classes.isEmpty()) {
                    java.util.TreeSet<String> union = new java.util.TreeSet<>();
                    for (Map<String, Path> p : cfg.splits().values()) if (Files.isDirectory(p.get("root"))) union.addAll(ImageFolders.classes(p.get("root")));
                    classes = List.copyOf(union);
                }
                yield ImageFolders.open(cfg.name(), split, paths.get("root"), classes);
            }
            case LIST -> {
                List<String> classes = cfg.classes();
                if (classes.isEmpty()) {
                    List<Path> lists = new ArrayList<>();
                    for (Map<String, Path> p : cfg.splits().values()) if (Files.isRegularFile(p.get("file"))) lists.add(p.get("file"));
                    classes = ListFiles.classNames(lists);
                }
                Path list = paths.get("file");
                yield ListFiles.open(cfg.name(), split, list, paths.getOrDefault("root", list.toAbsolutePath().getParent()), classes);
            }
        };
    }
}
