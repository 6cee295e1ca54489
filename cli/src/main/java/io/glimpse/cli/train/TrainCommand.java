package io.glimpse.cli.train;

import io.glimpse.cli.BackboneDatasetOptions;
import io.glimpse.cli.CliInputException;
import io.glimpse.cli.CacheRootOption;
import io.glimpse.cli.ReadModeOption;
import io.glimpse.cli.RunsDirOption;
import io.glimpse.cli.VectorBuildBar;
import io.glimpse.train.config.HeadPlanner;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.data.VectorPass;
import io.glimpse.train.loop.ConsoleProgress;
import io.glimpse.train.loop.HeadFactory;
import io.glimpse.train.loop.PassStart;
import io.glimpse.train.loop.ProbeTrainer;
import io.glimpse.train.loop.TrainProgress;
import io.glimpse.train.memory.MemoryBudget;
import io.glimpse.train.optim.OptimizerKind;
import io.glimpse.train.probe.ProbeRegistry;
import io.glimpse.train.run.FewShotRecord;
import io.glimpse.train.run.RunNames;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.run.SelectionGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code glimpse train}: resolves the train and test token caches (extracting them when missing), then trains every
 * requested head (one per combination of the listed probes, layers, EP query counts, base lrs and weight decays) in as
 * few passes as {@code --memory-budget} allows and writes {@code runs/<run-id>/} per head. The same command again continues the pass
 * where it stopped (or, finished, prints its results); {@code --fresh} trains it anew. Defaults are the reference recipe
 * (testdata/reference.json): LARS, blr 0.1, batch 1024, 30 epochs, 3 warmup, weight decay 0, seed 0.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train probe heads on cached tokens (many heads per pass); writes runs/<run-id>/result.json per head.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--probe", split = ",", defaultValue = "efficient", paramLabel = "NAME",
            description = "probe(s), comma-separated, or 'all' (default: ${DEFAULT-VALUE}); ridge and logreg are closed-form "
                    + "linear probes on one vector per image, fitted in seconds")
    List<String> probes;

    @Option(names = "--pool", description = "ridge/logreg: cls | mean (default: cls when the backbone has a CLS token, else mean)")
    String pool;

    @Option(names = "--l2", split = ",", paramLabel = "L2",
            description = "ridge/logreg: the L2 strengths to choose from on the hold-out, relative (default: ridge 1e-6..1e4, "
                    + "logreg 1e-2..1e4 relative to the row count, one a decade)")
    double[] l2;

    @CommandLine.Mixin
    BackboneDatasetOptions configs = new BackboneDatasetOptions();

    @Option(names = "--layer", split = ",", paramLabel = "LAYER",
            description = "cached layer(s); several give one head each (default: the cache's default layer)")
    List<String> layers = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "30", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch", defaultValue = "1024", description = "default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--blr", split = ",", defaultValue = "0.1",
            description = "base lr(s); lr = blr x batch / 256; several give one head each (default: ${DEFAULT-VALUE})")
    List<Double> blrs;

    @Option(names = "--optimizer", defaultValue = "lars", description = "lars | adamw | sgd (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--warmup", defaultValue = "3", description = "warmup epochs (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--weight-decay", split = ",", defaultValue = "0", paramLabel = "WD",
            description = "weight decay(s); several give one head each (default: ${DEFAULT-VALUE})")
    List<Double> weightDecays;

    @Option(names = "--seed", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
    int seed;

    @Option(names = "--queries", split = ",", description = "EP queries M; several give one EP head each (default: 32)")
    List<Integer> queries = new ArrayList<>();

    @Option(names = "--d-out", defaultValue = "1", description = "EP output budget d_out, D' = D/d_out (default: ${DEFAULT-VALUE})")
    int dOut;

    @Option(names = "--heads", defaultValue = "0", description = "attention heads for multi-head poolings (0 = the study's default)")
    int heads;

    @Option(names = "--val-fraction", defaultValue = "0",
            description = "hold out this fraction of train for epoch selection (ridge/logreg: to choose the L2 strength; default 0.1)")
    double valFraction;

    @Option(names = "--shots", split = ",", defaultValue = "0", paramLabel = "K",
            description = "train on K images per class (0 = all); several K train every head on each")
    List<Integer> shots;

    @Option(names = "--tries", defaultValue = "1",
            description = "with --shots: draws per K, try t with seed --seed + t - 1; the report gives mean +- sd (default: ${DEFAULT-VALUE})")
    int tries;

    @Option(names = "--select", paramLabel = "SPLIT",
            description = "val: choose, among every head of this command (per K and try), the (head, epoch) with the best "
                    + "validation top-1, without the test split; needs --val-fraction")
    String select;

    @Option(names = "--limit", defaultValue = "0", description = "train on the first N training images (0 = all)")
    int limit;

    @Option(names = "--test-limit", defaultValue = "0", description = "evaluate on the first N test images only (0 = all; quick checks)")
    int testLimit;

    @Option(names = "--dtype", defaultValue = "float16", description = "storage dtype of caches extracted for this run: float16, float32 or int8 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--online", description = "run the backbone in the loop every epoch instead of reading a cache")
    boolean online;

    @Option(names = "--augment", description = "with --online: a fresh training augmentation of every image each epoch")
    boolean augment;

    @Option(names = "--train-cache", paramLabel = "KEY", description = "train on this cache entry (key or prefix) instead of resolving one")
    String trainCache;

    @Option(names = "--test-cache", paramLabel = "KEY", description = "evaluate on this cache entry (key or prefix)")
    String testCache;

    @CommandLine.Mixin
    CacheRootOption cacheOption = new CacheRootOption();

    @CommandLine.Mixin
    ReadModeOption readOption = new ReadModeOption();

    @CommandLine.Mixin
    RunsDirOption runsOption = new RunsDirOption();

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "memory the heads of one pass may take, e.g. 16G or 800M; more heads are trained in more passes "
                    + "(default: what the machine has available, minus an eighth)")
    String memoryBudget;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--fresh", description = "train from the first epoch even if this pass was trained, or stopped, before "
            + "(default: continue an unfinished pass from its last epoch; a finished one is not retrained)")
    boolean fresh;

    @Override
    public Integer call() {
        ProbeRegistry registry = new ProbeRegistry();
        // Everything that can be refused without tokens is refused before any cache is resolved or extracted.
        Recipe recipe = new Recipe(OptimizerKind.parse(optimizer), batch, epochs, warmup, seed);
        MemoryBudget budget = memoryBudget == null ? MemoryBudget.available() : MemoryBudget.parse(memoryBudget);
        List<String> layerNames = layers.isEmpty() ? List.of("<default>") : layers;
        FewShotDraws draws = FewShotDraws.of(shots, tries, seed);
        boolean selecting = selectsOnValidation();
        ClosedFormProbes closedForm = ClosedFormProbes.of(probes, pool, l2, valFraction, draws.maxShots(), seed);
        List<String> trained = closedForm.gradientProbes();
        if (!trained.isEmpty()) HeadPlanner.expand(trained, layerNames, blrs, weightDecays, queries, dOut, heads, registry);
        PrintWriter out = spec.commandLine().getOut();
        try (TrainSources sources = TrainSources.resolve(new TrainSources.Request(configs.backbone(), configs.dataset(), readOption.apply(cacheOption.store()), trainCache, testCache,
                online, augment, seed, limit, testLimit, dtype, layers.isEmpty() ? List.of() : layers, out))) {
            List<String> resolvedLayers = layers.isEmpty() ? List.of(sources.train().layers().get(0)) : layers;
            draws.checkClasses(sources.train());
            List<HeadSpec> specs = trained.isEmpty() ? List.of()
                    : HeadPlanner.expand(trained, resolvedLayers, blrs, weightDecays, queries, dOut, heads, registry);
            VectorPass pass = specs.isEmpty() ? null
                    : VectorPass.choose(specs, registry, sources.train(), sources.test(), new VectorBuildBar(out, quiet));
            if (pass != null) {
                pass.kind().ifPresent(k -> {
                    out.println("train: every head reads the " + k.label() + " only: reading the cache's vector sidecar, not the tokens");
                    out.flush();
                });
            }
            String started = RunNames.timestamp(LocalDateTime.now());
            for (FewShotDraws.Draw draw : draws.all()) {
                if (draws.isFewShot()) {
                    out.printf(Locale.ROOT, "train: %d shots per class, try %d/%d (seed %d)%n", draw.shots(), draw.index(), draws.tries(), draw.seed());
                }
                List<RunResult> group = new ArrayList<>();
                if (closedForm.any()) {
                    group.addAll(closedForm.forDraw(draw.shots(), draw.seed()).run(sources, resolvedLayers, runsOption.dir(), out, quiet));
                }
                if (pass != null) group.addAll(trainHeads(recipe.withSeed(draw.seed()), specs, draw.shots(), sources, pass, registry, budget, out));
                if (draws.isFewShot()) {
                    FewShotRecord f = new FewShotRecord(draw.shots(), draw.index(), draws.tries());
                    group = group.stream().map(r -> SelectionGroup.update(r, x -> x.withFewShot(f))).toList();
                }
                if (selecting) {
                    String id = draws.isFewShot() ? started + "-k" + draw.shots() + "-t" + draw.index() : started;
                    SelectionReport.print(SelectionGroup.record(id, group), out);
                }
            }
            out.flush();
        }
        return 0;
    }

    private List<RunResult> trainHeads(Recipe recipe, List<HeadSpec> specs, int drawShots, TrainSources sources, VectorPass pass,
                                       ProbeRegistry registry, MemoryBudget budget, PrintWriter out) {
        HeadFactory factory = (s, layout, classes, manager, headSeed) ->
                registry.create(s.probe(), s.options(), layout, classes, manager, headSeed);
        TrainRequest request = new TrainRequest(recipe, specs, 0, valFraction, drawShots, sources.numClasses(),
                runsOption.dir(), sources.provenance());
        TrainProgress progress = quiet ? TrainProgress.notesOnly(line -> {
            out.println("train: " + line);
            out.flush();
        }) : new ConsoleProgress(System.err);
        List<RunResult> results = new ProbeTrainer(factory, progress, fresh ? PassStart.FRESH : PassStart.RESUME, budget)
                .train(request, pass.train(), pass.test());
        for (RunResult r : results) {
            out.printf(Locale.ROOT, "train: %-14s %-28s layer %-18s top1 best %.2f @%d, last %.2f  params %,d  -> %s%n",
                    r.probe(), r.options(), r.layer(), r.top1Best(), r.bestEpoch(), r.top1Last(), r.params(),
                    request.runsDir().resolve(r.runId()));
        }
        out.flush();
        return results;
    }

    /** {@code --select}: only {@code val}, and only with a validation split to select on. */
    private boolean selectsOnValidation() {
        if (select == null) return false;
        if (!select.equals("val")) throw new CliInputException("--select '" + select + "' is not one of: val");
        if (!(valFraction > 0)) {
            throw new CliInputException("--select val needs a validation split: add --val-fraction F (e.g. 0.1) to hold out that share of train");
        }
        return true;
    }
}
