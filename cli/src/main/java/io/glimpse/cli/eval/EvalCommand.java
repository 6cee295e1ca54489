package io.glimpse.cli.eval;

import io.glimpse.cli.CacheRootOption;
import io.glimpse.cli.ReadModeOption;
import io.glimpse.cache.CacheStore;
import io.glimpse.eval.protocol.ProtocolRun;
import io.glimpse.eval.complementarity.ComplementarityStep;
import io.glimpse.eval.protocol.ProtocolStudyRuns;
import io.glimpse.eval.protocol.ProtocolStudySection;
import io.glimpse.eval.study.StudyRuns;
import io.glimpse.eval.study.StudySection;
import io.glimpse.eval.report.AccuracyReport;
import io.glimpse.eval.report.Document;
import io.glimpse.eval.report.ReportFiles;
import io.glimpse.eval.report.ReportSections;
import io.glimpse.eval.result.RunCollector;
import io.glimpse.train.run.RunResult;
import io.glimpse.eval.result.RunSelection;
import io.glimpse.train.run.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code glimpse eval}: the accuracy-versus-compute report over trained runs (docs/README.md#commands). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Collect runs/*/result.json and write the accuracy-vs-compute report "
                + "(report.md, index.html, results.csv, results.json, PNG + SVG plots).")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--runs", arity = "1..*", paramLabel = "DIR",
            description = "runs folders, run folders or result.json files (default: $GLIMPSE_RUNS, else ./runs)")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/latest",
            description = "report folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--all", description = "keep every run; by default only the newest run of each configuration")
    boolean all;

    @Option(names = "--complementarity",
            description = "first compute the attention-map complementarity of runs that lack it (needs their caches)")
    boolean complementarity;

    @CommandLine.Mixin
    CacheRootOption cacheOption = new CacheRootOption();

    @CommandLine.Mixin
    ReadModeOption readOption = new ReadModeOption();

    @Option(names = "--quiet", description = "no progress bars")
    boolean quiet;

    @Option(names = "--protocol-study", paramLabel = "DIR",
            description = "add the protocol-study section from this folder (bench/protocol-study.sh); writes protocol-study.json")
    Path protocolStudy;

    @Option(names = "--study", paramLabel = "DIR",
            description = "add the recipe-study section from this folder (bench/study.sh: <phase>/<run>/result.json and "
                    + "commands.jsonl): per probe the recipe chosen on validation, accuracy vs parameters and vs FLOPs with "
                    + "the Pareto front; writes study.json")
    Path study;

    @Override
    public Integer call() throws Exception {
        List<Path> locations = runs == null || runs.isEmpty() ? List.of(RunDirectory.defaultRunsDir()) : runs;
        List<RunResult> found = new RunCollector().collect(locations);
        List<RunResult> kept = all ? found : RunSelection.latestPerConfiguration(found);
        if (complementarity) {
            CacheStore store = readOption.apply(cacheOption.store());
            kept = ComplementarityStep.fillIn(kept, store, spec.commandLine().getOut(), !quiet);
        }
        String provenance = "Read from " + locations + (kept.size() < found.size()
                ? "; " + (found.size() - kept.size()) + " older re-run(s) of the same configuration left out (--all keeps them)."
                : ".");
        List<Document.Section> extra = new ArrayList<>(ReportSections.extra(kept, out));
        if (protocolStudy != null) {
            CacheStore store = readOption.apply(cacheOption.store());
            List<ProtocolRun> study = ProtocolStudyRuns.read(protocolStudy, store);
            Files.createDirectories(out);
            ProtocolStudyRuns.writeJson(study, out.resolve("protocol-study.json"));
            extra.add(0, ProtocolStudySection.write(study, out));
        }
        if (study != null) {
            StudyRuns runsOfStudy = StudyRuns.read(study);
            Files.createDirectories(out);
            extra.add(0, StudySection.write(runsOfStudy, out));
        }
        ReportFiles files = new AccuracyReport().write(kept, out, provenance, extra);
        spec.commandLine().getOut().printf("eval: %d run(s) -> %s (index.html, results.csv, results.json, %d plot files)%n",
                kept.size(), files.markdown(), files.plots().size());
        return 0;
    }
}
