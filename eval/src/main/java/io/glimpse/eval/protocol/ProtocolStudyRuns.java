package io.glimpse.eval.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.eval.EvalInputException;
import io.glimpse.eval.result.RunCollector;
import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a protocol-study folder (bench/protocol-study.sh): one sub-folder per protocol holding a
 * {@code protocol.json} ({@code protocol}: cache | views | online, {@code views}: K) and the runs trained that way.
 * Backbone passes and extraction seconds come from the manifests of the caches each run read.
 */
public final class ProtocolStudyRuns {
    private ProtocolStudyRuns() {
    }

    public static List<ProtocolRun> read(Path studyDir, CacheStore store) {
        if (!Files.isDirectory(studyDir)) throw new EvalInputException("--protocol-study " + studyDir + ": no such folder");
        ObjectMapper json = new ObjectMapper();
        List<ProtocolRun> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(studyDir)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("protocol.json"))).sorted().toList()) {
                JsonNode p = json.readTree(dir.resolve("protocol.json").toFile());
                String protocol = p.path("protocol").asText("cache");
                int views = p.path("views").asInt(1);
                for (RunResult r : new RunCollector().collect(List.of(dir))) out.add(row(r, protocol, views, store));
            }
        } catch (IOException e) {
            throw new EvalInputException("--protocol-study " + studyDir + ": " + e.getMessage());
        }
        if (out.isEmpty()) throw new EvalInputException("--protocol-study " + studyDir + ": no protocol.json folders with runs");
        return out;
    }

    private static ProtocolRun row(RunResult r, String protocol, int views, CacheStore store) {
        int epochs = r.epochs() == null ? 0 : r.epochs();
        Optional<Manifest> test = manifest(store, r.testCacheKey());
        // a test split read from a cache cost one pass per image, once; an online test split runs every epoch
        long testPasses = test.map(Manifest::rows).orElse((long) epochs * count(r.testRows()));
        double extract = test.map(m -> m.extractSeconds().orElse(0)).orElse(0.0);
        long passes;
        if (protocol.equals("online")) {
            passes = (long) epochs * count(r.trainRows()) + testPasses;
        } else {
            Manifest train = manifest(store, r.cacheKey())
                    .orElseThrow(() -> new EvalInputException(r.file() + ": its train cache " + r.cacheKey() + " is not in " + store.root()));
            passes = train.rows() + testPasses;
            extract += train.extractSeconds().orElse(0);
        }
        return new ProtocolRun(r.probe(), protocol, views, epochs, r.top1(), r.top1Last(), passes, extract,
                orZero(r.trainSeconds()), orZero(r.evalSeconds()));
    }

    private static long count(Integer rows) {
        return rows == null ? 0 : rows;
    }

    private static double orZero(Double seconds) {
        return seconds == null ? 0 : seconds;
    }

    private static Optional<Manifest> manifest(CacheStore store, String key) {
        if (key == null || !CacheKey.isKey(key)) return Optional.empty();
        return store.find(CacheKey.parse(key)).flatMap(CacheEntryInfo::manifest);
    }

    public static void writeJson(List<ProtocolRun> runs, Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ProtocolRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("probe", r.probe());
            m.put("protocol", r.protocol());
            m.put("views", r.views());
            m.put("epochs", r.epochs());
            m.put("top1_best", r.top1Best());
            m.put("top1_last", r.top1Last());
            m.put("backbone_passes", r.backbonePasses());
            m.put("extract_seconds", r.extractSeconds());
            m.put("train_seconds", r.trainSeconds());
            m.put("eval_seconds", r.evalSeconds());
            m.put("total_seconds", r.totalSeconds());
            rows.add(m);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), Map.of("runs", rows));
    }
}
