package io.glimpse.eval.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.cache.TokenLayout;
import io.glimpse.eval.EvalInputException;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.probe.ProbeHeadFiles;
import io.glimpse.train.probe.ProbeOptions;
import io.glimpse.train.probe.ProbeRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained head rebuilt from its run folder: the probe and options from result.json, the architecture from the
 * train stage's registry, the weights from the saved state (the best-epoch state the trainer keeps,
 * {@code head-best.ndlist}: DJL NDList with arrays named {@code param/<name>} and {@code buffer/<name>}; or a
 * {@code head.bin} written by {@link ProbeHeadFiles}).
 */
public final class TrainedHead implements AutoCloseable {
    public static final String BEST_STATE = "head-best.ndlist";

    private final Path runDir;
    private final String probe;
    private final String layer;
    private final ProbeHead head;

    private TrainedHead(Path runDir, String probe, String layer, ProbeHead head) {
        this.runDir = runDir;
        this.probe = probe;
        this.layer = layer;
        this.head = head;
    }

    public static TrainedHead load(Path runDir, TokenLayout layout, int numClasses, NDManager manager) {
        Path resultFile = runDir.resolve("result.json");
        JsonNode result;
        try {
            result = new ObjectMapper().readTree(resultFile.toFile());
        } catch (IOException e) {
            throw new EvalInputException(resultFile + ": cannot read (" + e.getMessage() + ")");
        }
        String probe = result.path("probe").asText("");
        if (probe.isEmpty() || probe.equals("knn")) throw new EvalInputException(resultFile + ": not a trained probe head");
        JsonNode o = result.path("options");
        ProbeOptions options = new ProbeOptions(o.path("queries").asInt(ProbeOptions.DEFAULTS.queries()),
                o.path("d_out").asInt(ProbeOptions.DEFAULTS.dOut()), o.path("heads").asInt(ProbeOptions.DEFAULTS.heads()));
        ProbeHead head = new ProbeRegistry().create(probe, options, layout, numClasses, manager, result.path("seed").asLong(0));
        try {
            Path state = runDir.resolve(BEST_STATE);
            Path bin = runDir.resolve("head.bin");
            if (Files.isRegularFile(state)) {
                loadNdList(head, state, manager);
            } else if (Files.isRegularFile(bin)) {
                ProbeHeadFiles.load(head, bin);
            } else {
                throw new EvalInputException(runDir + ": no saved head state (" + BEST_STATE + " or head.bin)");
            }
        } catch (RuntimeException e) {
            head.close();
            throw e;
        }
        return new TrainedHead(runDir, probe, result.path("layer").asText(null), head);
    }

    private static void loadNdList(ProbeHead head, Path file, NDManager manager) {
        Map<String, NDArray> params = head.parameters();
        Map<String, NDArray> buffers = head.buffers();
        int expected = params.size() + buffers.size();
        try (NDManager scratch = manager.newSubManager(); InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(scratch, in);
            if (list.size() != expected) {
                throw new EvalInputException(file + ": holds " + list.size() + " arrays, the " + head.name() + " head has " + expected);
            }
            for (NDArray saved : list) {
                String name = saved.getName();
                NDArray target = name == null ? null
                        : name.startsWith("param/") ? params.get(name.substring(6))
                        : name.startsWith("buffer/") ? buffers.get(name.substring(7)) : null;
                if (target == null) throw new EvalInputException(file + ": array '" + name + "' is not part of the " + head.name() + " head");
                if (!target.getShape().equals(saved.getShape())) {
                    throw new EvalInputException(file + ": array " + name + " has shape " + saved.getShape() + ", the head expects "
                            + target.getShape() + " (different layout or class count?)");
                }
                if (target.getDataType() == DataType.FLOAT64) {
                    target.set(saved.toType(DataType.FLOAT64, false).toDoubleArray());
                } else {
                    target.set(saved.toType(DataType.FLOAT32, false).toFloatArray());
                }
            }
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read the head state (" + e.getMessage() + ")");
        }
    }

    public ProbeHead head() {
        return head;
    }

    public String probe() {
        return probe;
    }

    /** The cached layer the head was trained on (null when result.json does not say). */
    public String layer() {
        return layer;
    }

    public Path runDir() {
        return runDir;
    }

    @Override
    public void close() {
        head.close();
    }
}
