package io.glimpse.extract.backbone;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glimpse.cache.TokenLayout;
import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.config.Hashing;
import io.glimpse.extract.image.Preprocessing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An opened, validated backbone: runs batches of preprocessed images [n, C, H, W] and writes the requested
 * token layers [n, T, D] into caller-owned buffers. Opening checks, before any data work, that the image input
 * matches the preprocessing and every requested output is a float [B, T, D] tensor with one shared T and D,
 * and derives the prefix-token count and patch grid (checked against the config when it states them).
 */
public final class OnnxBackbone implements AutoCloseable {
    private final BackboneConfig config;
    private final OrtSessions.Opened opened;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final String inputName;
    private final List<String> layers;
    private final TokenLayout layout;
    private final String sha256;
    private final int threads;

    private OnnxBackbone(BackboneConfig config, OrtSessions.Opened opened, String inputName, List<String> layers,
                         TokenLayout layout, String sha256, int threads) {
        this.config = config;
        this.opened = opened;
        this.inputName = inputName;
        this.layers = layers;
        this.layout = layout;
        this.sha256 = sha256;
        this.threads = threads;
    }

    /** Opens and validates; {@code requestedLayers} null or empty = the backbone's default layers. */
    public static OnnxBackbone open(BackboneConfig cfg, List<String> requestedLayers, BackboneOptions opts) {
        String sha = Hashing.sha256(cfg.onnxFile());
        if (cfg.declaredSha256() != null && !cfg.declaredSha256().equalsIgnoreCase(sha)) {
            throw new ExtractInputException(cfg.onnxFile() + ": sha256 " + sha + " does not match " + cfg.declaredSha256() + " declared in " + cfg.source());
        }
        OrtSessions.Opened opened = OrtSessions.open(cfg, opts);
        try {
            OrtSession s = opened.session();
            String input = checkInput(cfg, s);
            Map<String, long[]> tokenOutputs = tokenOutputs(s);
            List<String> allowed = allowedLayers(cfg, tokenOutputs);
            List<String> layers = requestedLayers == null || requestedLayers.isEmpty() ? defaultLayers(cfg, allowed) : List.copyOf(requestedLayers);
            for (String l : layers) {
                if (!allowed.contains(l)) {
                    String out = cfg.outputOf(l);
                    String why = s.getOutputNames().contains(out) ? "its output '" + out + "' is " + describe(s.getOutputInfo().get(out)) + ", not float [B, T, D]"
                            : "no such output";
                    throw new ExtractInputException("--layers " + l + ": " + why + " in " + cfg.onnxFile().getFileName() + " (allowed: " + String.join(", ", allowed) + ")");
                }
            }
            if (layers.stream().distinct().count() != layers.size()) throw new ExtractInputException("--layers lists a layer twice: " + layers);
            int[] td = probe(cfg, s, input, layers);
            TokenLayout layout = tokenLayout(cfg, td[0], td[1]);
            return new OnnxBackbone(cfg, opened, input, List.copyOf(layers), layout, sha, opts.effectiveThreads());
        } catch (OrtException e) {
            opened.model().close();
            opened.options().close();
            throw new ExtractInputException(cfg.onnxFile() + ": cannot inspect the model (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            opened.model().close();
            opened.options().close();
            throw e;
        }
    }

    private static String describe(NodeInfo info) {
        if (info.getInfo() instanceof TensorInfo t) return t.type.name().toLowerCase() + " " + shape(t.getShape());
        return info.getInfo().toString();
    }

    private static String shape(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
        return sb.append(']').toString();
    }

    private static String checkInput(BackboneConfig cfg, OrtSession s) throws OrtException {
        Map<String, NodeInfo> inputs = s.getInputInfo();
        String name = cfg.inputName();
        if (name == null) {
            if (inputs.size() != 1) throw new ExtractInputException(cfg.source() + ": the model has inputs " + inputs.keySet() + "; name the image one with 'input:'");
            name = inputs.keySet().iterator().next();
        } else if (!inputs.containsKey(name)) {
            throw new ExtractInputException(cfg.source() + ": the model has no input '" + name + "' (inputs: " + String.join(", ", inputs.keySet()) + ")");
        }
        if (inputs.size() != 1) throw new ExtractInputException(cfg.onnxFile() + ": the model needs inputs " + inputs.keySet() + "; only single-image-input models are supported");
        Preprocessing p = cfg.preprocessing();
        long[] want = {-1, p.channels(), p.outputHeight(), p.outputWidth()};
        NodeInfo info = inputs.get(name);
        boolean ok = info.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 4;
        if (ok) {
            long[] dims = ((TensorInfo) info.getInfo()).getShape();
            for (int i = 1; i < 4; i++) ok &= dims[i] < 0 || dims[i] == want[i];
        }
        if (!ok) {
            throw new ExtractInputException(cfg.onnxFile().getFileName() + ": input '" + name + "' is " + describe(info) + " but the preprocessing in "
                    + cfg.source().getFileName() + " makes float [B, " + p.channels() + ", " + p.outputHeight() + ", " + p.outputWidth() + "]");
        }
        return name;
    }

    /** Outputs that are float tensors of rank 3, by ONNX name, in model order. */
    private static Map<String, long[]> tokenOutputs(OrtSession s) throws OrtException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : s.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 3) out.put(e.getKey(), t.getShape());
        }
        return out;
    }

    private static List<String> allowedLayers(BackboneConfig cfg, Map<String, long[]> tokenOutputs) {
        if (cfg.layers().isEmpty()) return List.copyOf(tokenOutputs.keySet());
        List<String> allowed = new ArrayList<>();
        cfg.layers().forEach((layer, output) -> {
            if (tokenOutputs.containsKey(output)) allowed.add(layer);
        });
        return allowed;
    }

    /** The config's default, else {@link DefaultLayer#pick}. */
    private static List<String> defaultLayers(BackboneConfig cfg, List<String> allowed) {
        if (!cfg.defaultLayers().isEmpty()) return cfg.defaultLayers();
        if (allowed.isEmpty()) throw new ExtractInputException(cfg.onnxFile().getFileName() + ": no output is a float [B, T, D] token tensor");
        return List.of(DefaultLayer.pick(allowed));
    }

    /** Runs one zero image and returns the shared {T, D} of the requested layers. */
    private static int[] probe(BackboneConfig cfg, OrtSession s, String input, List<String> layers) throws OrtException {
        Preprocessing p = cfg.preprocessing();
        FloatBuffer zeros = directFloats(p.tensorSize());
        int[] td = null;
        java.util.Set<String> outputs = new java.util.LinkedHashSet<>();
        for (String l : layers) outputs.add(cfg.outputOf(l));
        try (OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), zeros, new long[] {1, p.channels(), p.outputHeight(), p.outputWidth()});
             OrtSession.Result r = s.run(Map.of(input, in), outputs)) {
            for (String l : layers) {
                long[] shape = ((TensorInfo) r.get(cfg.outputOf(l)).orElseThrow().getInfo()).getShape();
                if (shape.length != 3 || shape[0] != 1) {
                    throw new ExtractInputException("--layers " + l + ": output '" + cfg.outputOf(l) + "' gave " + shape(shape) + " for one image, not [1, T, D]");
                }
                int[] here = {(int) shape[1], (int) shape[2]};
                if (td != null && !Arrays.equals(td, here)) {
                    throw new ExtractInputException("--layers " + layers + ": layers differ in shape (" + td[0] + "x" + td[1] + " vs " + here[0] + "x" + here[1] + "); extract them separately");
                }
                td = here;
            }
        }
        return td;
    }

    /** Prefix tokens and grid from the config where stated, else inferred from T and the input size. */
    static TokenLayout tokenLayout(BackboneConfig cfg, int tokens, int dim) {
        Preprocessing p = cfg.preprocessing();
        int prefix = cfg.prefixTokens(), gh = cfg.gridH(), gw = cfg.gridW();
        if (gh == 0 && cfg.patchSize() > 0) {
            gh = p.outputHeight() / cfg.patchSize();
            gw = p.outputWidth() / cfg.patchSize();
        }
        if (prefix < 0) {
            if (gh > 0) prefix = tokens - gh * gw;
            else prefix = isSquare(tokens - 1) ? 1 : isSquare(tokens) ? 0 : -1;
            if (prefix < 0) {
                throw new ExtractInputException(cfg.source() + ": cannot tell how many of the " + tokens + " tokens are prefix (CLS/register) tokens; set prefix_tokens");
            }
        }
        if (gh == 0 && prefix <= tokens && isSquare(tokens - prefix) && p.outputHeight() == p.outputWidth()) {
            gh = gw = (int) Math.round(Math.sqrt(tokens - prefix));
        }
        if (prefix > tokens || (gh > 0 && gh * gw + prefix != tokens)) {
            throw new ExtractInputException(cfg.source() + ": config says " + prefix + " prefix token(s)" + (gh > 0 ? " + a " + gh + "x" + gw + " grid" : "")
                    + " but the model gives T=" + tokens + " tokens");
        }
        return new TokenLayout(tokens, dim, prefix, gh, gw);
    }

    private static boolean isSquare(int n) {
        if (n <= 0) return false;
        int r = (int) Math.round(Math.sqrt(n));
        return r * r == n;
    }

    /** A native-order direct float buffer, the kind ONNX Runtime reads and writes without copying. */
    public static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Runs {@code n} images from {@code input} (direct, [n, C, H, W] from index 0) and writes each layer's
     * tokens into {@code out.get(layer)} (direct, room for n*T*D from index 0).
     */
    public void run(FloatBuffer input, int n, Map<String, FloatBuffer> out) {
        Preprocessing p = config.preprocessing();
        int rowValues = layout.rowValues();
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        try (OnnxTensor in = OnnxTensor.createTensor(env, window(input, n * p.tensorSize()), new long[] {n, p.channels(), p.outputHeight(), p.outputWidth()})) {
            for (String l : layers) {
                pinned.put(config.outputOf(l), OnnxTensor.createTensor(env, window(out.get(l), n * rowValues), new long[] {n, layout.tokens(), layout.dim()}));
            }
            try (OrtSession.Result ignored = opened.session().run(Map.of(inputName, in), pinned)) {
                // outputs were written into the pinned buffers
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
        } finally {
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    private static FloatBuffer window(FloatBuffer b, int n) {
        if (b == null || !b.isDirect()) throw new IllegalArgumentException("ONNX Runtime buffers must be direct");
        if (b.capacity() < n) throw new IllegalArgumentException("buffer holds " + b.capacity() + " floats, batch needs " + n);
        return b.duplicate().position(0).limit(n).slice();
    }

    public BackboneConfig config() {
        return config;
    }

    public Preprocessing preprocessing() {
        return config.preprocessing();
    }

    public TokenLayout layout() {
        return layout;
    }

    public List<String> layers() {
        return layers;
    }

    public String sha256() {
        return sha256;
    }

    public String device() {
        return opened.device();
    }

    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        opened.model().close();
        opened.options().close();
    }
}
