package io.glimpse.extract.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.extract.ExtractInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed YAML or JSON object with typed getters whose errors name the file and the key, so every bad config
 * value becomes one line that says where and what is wrong. Unknown keys are refused ({@link #rejectUnknown}),
 * which catches typos that would otherwise silently fall back to defaults.
 */
public final class ConfigMap {
    private final Map<String, Object> values;
    private final String where;

    public ConfigMap(Map<String, Object> values, String where) {
        this.values = values == null ? Map.of() : values;
        this.where = where;
    }

    /** Reads a .yaml/.yml (snakeyaml, safe constructor) or .json (Jackson) file holding one object. */
    @SuppressWarnings("unchecked")
    public static ConfigMap read(Path file) {
        if (!Files.isRegularFile(file)) throw new ExtractInputException(file + ": file not found");
        Object root;
        try {
            if (file.getFileName().toString().toLowerCase().endsWith(".json")) {
                root = new ObjectMapper().readValue(file.toFile(), Object.class);
            } else {
                try (Reader r = Files.newBufferedReader(file)) {
                    root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ExtractInputException(file + ": cannot parse (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!(root instanceof Map)) throw new ExtractInputException(file + ": expected a mapping of keys to values at the top level");
        return new ConfigMap((Map<String, Object>) root, file.toString());
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public String where() {
        return where;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public Object raw(String key) {
        return values.get(key);
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public void rejectUnknown(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) throw new ExtractInputException(where + ": unknown key '" + k + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private ExtractInputException bad(String key, String what) {
        return new ExtractInputException(where + ": '" + key + "' " + what);
    }

    public String string(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) throw bad(key, "is required");
        return s;
    }

    public int integer(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(key, "must be an integer, got '" + v + "'");
        }
    }

    public double number(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number, got '" + v + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("yes")) return true;
        if (s.equals("false") || s.equals("no")) return false;
        throw bad(key, "must be true or false, got '" + v + "'");
    }

    /** A list of numbers; a single number is a list of one. */
    public double[] numbers(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = list.get(i);
            try {
                out[i] = o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(key, "must hold numbers, got '" + o + "'");
            }
        }
        return out;
    }

    /** A list of strings; a single value (or a comma-separated string) is split. */
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) out.add(o.toString().trim());
        } else {
            for (String s : v.toString().split(",")) if (!s.isBlank()) out.add(s.trim());
        }
        return out;
    }

    /** A nested mapping, or an empty one when absent. */
    @SuppressWarnings("unchecked")
    public ConfigMap section(String key) {
        Object v = values.get(key);
        if (v == null) return new ConfigMap(Map.of(), where + " " + key);
        if (!(v instanceof Map)) throw bad(key, "must be a mapping");
        return new ConfigMap((Map<String, Object>) v, where + " " + key);
    }

    /** A mapping of string to string, in file order. */
    public Map<String, String> stringMap(String key) {
        Object v = values.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (!(v instanceof Map<?, ?> m)) throw bad(key, "must be a mapping");
        m.forEach((k, val) -> out.put(k.toString(), val.toString()));
        return out;
    }

    /** Resolves a path value against the directory of the config file (absolute paths stay). */
    public static Path resolve(Path configFile, String value) {
        Path p = Path.of(value);
        if (p.isAbsolute()) return p;
        Path dir = configFile.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }
}
