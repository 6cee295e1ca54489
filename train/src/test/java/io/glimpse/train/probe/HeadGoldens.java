package io.glimpse.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.TokenLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference heads' golden values in {@code testdata/head-goldens} (see its README): {@code index.json} lists
 * the configurations, each {@code .npz} holds one configuration's inputs, parameters and results.
 */
final class HeadGoldens {
    private HeadGoldens() {
    }

    /** One entry of index.json. {@code parameters} keeps the reference's creation order. */
    record Config(String file, String probe, Map<String, Object> options, Map<String, Object> optionsUsed, long params,
                  Shape x, int classes, int gridH, int gridW, Map<String, Shape> parameters, Set<String> noGradient,
                  List<String> buffers, double loss) {

        /** CLS + an h x w grid: the prefix is whatever the token count leaves beyond the grid. */
        TokenLayout layout() {
            int tokens = Math.toIntExact(x.get(1));
            return new TokenLayout(tokens, Math.toIntExact(x.get(2)), tokens - gridH * gridW, gridH, gridW);
        }

        /** The reference's options as Glimpse's; an option Glimpse does not know fails the configuration. */
        ProbeOptions probeOptions() {
            ProbeOptions d = ProbeOptions.DEFAULTS;
            int queries = d.queries(), dOut = d.dOut(), heads = d.heads();
            for (Map.Entry<String, Object> o : options.entrySet()) {
                int value = ((Number) o.getValue()).intValue();
                switch (o.getKey()) {
                    case "queries" -> queries = value;
                    case "d_out" -> dOut = value;
                    case "heads" -> heads = value;
                    default -> throw new IllegalArgumentException(file + ": option " + o.getKey() + " has no Glimpse counterpart");
                }
            }
            return new ProbeOptions(queries, dOut, heads);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Path dir() {
        return Path.of(System.getProperty("glimpse.root", "..")).resolve("testdata/head-goldens").toAbsolutePath().normalize();
    }

    static List<Config> configs() {
        Path index = dir().resolve("index.json");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        List<Config> out = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (JsonNode c : root.get("configs")) {
            Map<String, Shape> parameters = new LinkedHashMap<>();
            for (JsonNode p : c.get("parameters")) parameters.put(p.get(0).asText(), shape(p.get(1)));
            Set<String> noGradient = new LinkedHashSet<>();
            c.get("no_gradient").forEach(n -> noGradient.add(n.asText()));
            List<String> buffers = new ArrayList<>();
            c.get("buffers").forEach(n -> buffers.add(n.asText()));
            @SuppressWarnings("unchecked")
            Map<String, Object> options = mapper.convertValue(c.get("options"), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> used = mapper.convertValue(c.get("options_used"), Map.class);
            out.add(new Config(c.get("file").asText(), c.get("probe").asText(), options, used, c.get("params").asLong(),
                    shape(c.get("x")), c.get("classes").asInt(), c.get("grid").get(0).asInt(), c.get("grid").get(1).asInt(),
                    parameters, noGradient, buffers, c.get("loss").asDouble()));
        }
        return out;
    }

    /** Every array of the configuration's .npz by its name in the archive ({@code x}, {@code param/pool.v.weight}, ...). */
    static Map<String, NDArray> arrays(NDManager manager, Config config) {
        Path file = dir().resolve(config.file());
        NDList list;
        try {
            list = NDList.decode(manager, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) out.put(a.getName(), a);
        return out;
    }

    private static Shape shape(JsonNode dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) s[i] = dims.get(i).asLong();
        return new Shape(s);
    }
}
