package io.glimpse.eval.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.eval.EvalInputException;
import io.glimpse.train.run.ResultJson;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A recipe-study folder (bench/study.sh): runs folders one level down (one per grid or retraining phase), and
 * {@code commands.jsonl}, one line per {@code glimpse train} command the script ran ({@code phase},
 * {@code wall_seconds}, {@code cpu_seconds}, {@code passes}, {@code heads}): what the study cost.
 */
public record StudyRuns(List<RunResult> runs, List<Map<String, Object>> commands) {
    public static final String COMMANDS = "commands.jsonl";

    public static StudyRuns read(Path dir) {
        if (!Files.isDirectory(dir)) throw new EvalInputException("--study " + dir + ": no such folder");
        List<RunResult> runs = new ArrayList<>();
        // <dir>/<phase>/<run>/result.json; deeper folders (a protocol study's, the passes' checkpoints) are not runs of the grid
        try (Stream<Path> files = Files.find(dir, 3, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals(RunDirectory.RESULT))) {
            for (Path f : files.sorted().toList()) {
                if (dir.relativize(f).getNameCount() == 3 && !hidden(dir.relativize(f))) runs.add(ResultJson.read(f));
            }
        } catch (IOException e) {
            throw new EvalInputException("--study " + dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (runs.isEmpty()) throw new EvalInputException("--study " + dir + ": no <phase>/<run>/" + RunDirectory.RESULT + " found");
        return new StudyRuns(runs, commands(dir.resolve(COMMANDS)));
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private static List<Map<String, Object>> commands(Path file) {
        if (!Files.isRegularFile(file)) return List.of();
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            int line = 0;
            for (String s : Files.readAllLines(file)) {
                line++;
                if (s.isBlank()) continue;
                try {
                    out.add(json.readValue(s, new TypeReference<Map<String, Object>>() { }));
                } catch (JsonProcessingException e) {
                    throw new EvalInputException(file + ":" + line + ": not a JSON object (" + e.getOriginalMessage() + ")");
                }
            }
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return out;
    }

    /**
     * The phase bench/study.sh records for its protocol step: a whole protocol study (extractions, online passes,
     * evaluations), not a training command of the recipe study, so it is budgeted apart.
     */
    public static final String PROTOCOL_PHASE = "protocol";

    /** The recipe study's training commands (every phase but the protocol study's). */
    public List<Map<String, Object>> trainingCommands() {
        return commands.stream().filter(c -> !PROTOCOL_PHASE.equals(c.get("phase"))).toList();
    }

    /** The protocol study's line(s), if it ran. */
    public List<Map<String, Object>> protocolCommands() {
        return commands.stream().filter(c -> PROTOCOL_PHASE.equals(c.get("phase"))).toList();
    }

    /** Sum of a numeric member over the training commands (0 when none has it). */
    public double total(String member) {
        return sum(trainingCommands(), member);
    }

    /** Sum of a numeric member over the protocol study's lines. */
    public double protocolTotal(String member) {
        return sum(protocolCommands(), member);
    }

    private static double sum(List<Map<String, Object>> lines, String member) {
        return lines.stream().map(c -> c.get(member)).filter(v -> v instanceof Number)
                .mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }
}
