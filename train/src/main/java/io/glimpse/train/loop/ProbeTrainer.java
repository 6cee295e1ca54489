package io.glimpse.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.batch.EpochPlan;
import io.glimpse.cache.batch.TokenBatch;
import io.glimpse.cache.batch.TokenSource;
import io.glimpse.train.TrainInputException;
import io.glimpse.train.config.HeadSpec;
import io.glimpse.train.config.Recipe;
import io.glimpse.train.config.TrainRequest;
import io.glimpse.train.data.TrainSplits;
import io.glimpse.train.memory.HeadMemory;
import io.glimpse.train.memory.MemoryBudget;
import io.glimpse.train.memory.PassSplitter;
import io.glimpse.train.probe.ProbeHead;
import io.glimpse.train.run.PassDirectory;
import io.glimpse.train.run.PassRequest;
import io.glimpse.train.run.RunDirectory;
import io.glimpse.train.run.RunNames;
import io.glimpse.train.run.RunResult;
import io.glimpse.train.schedule.WarmupCosine;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trains every head of a request in one pass over the cached tokens, the way DINOv2 sweeps linear heads: each
 * batch is read and converted once, fed to every head, their cross-entropy losses are summed for one backward
 * (DJL allows one gradient collector at a time), then each head's own optimizer steps its parameters at its own
 * learning rate. Recipe (MAE linear probing, docs/recipe.md): per-iteration warmup + cosine, drop_last, seeded
 * shuffling; test top-1/top-5 after every epoch with BatchNorm in eval mode. Results: {@link FinishedHead}.
 */
public final class ProbeTrainer {
    private final HeadFactory factory;
    private final TrainProgress progress;
    private final PassStart start;
    private final MemoryBudget budget;

    /** A trainer that always trains from the first epoch ({@link PassStart#FRESH}). */
    public ProbeTrainer(HeadFactory factory, TrainProgress progress) {
        this(factory, progress, PassStart.FRESH);
    }

    /** A trainer whose passes are not limited in memory. */
    public ProbeTrainer(HeadFactory factory, TrainProgress progress, PassStart start) {
        this(factory, progress, start, MemoryBudget.UNLIMITED);
    }

    /** {@code budget}: how much the heads of one pass may take together; more heads are split into more passes. */
    public ProbeTrainer(HeadFactory factory, TrainProgress progress, PassStart start, MemoryBudget budget) {
        this.factory = factory;
        this.progress = progress;
        this.start = start;
        this.budget = budget;
    }

    /**
     * Trains the request's heads on {@code trainSource}, evaluates on {@code testSource}; one result per head, in the
     * request's order. The heads are split into as few passes as the memory budget allows ({@link #planPasses}); each
     * pass reads the data once for all its heads. After every epoch a pass is checkpointed into its
     * {@link PassDirectory}, found again from its heads and the request, so that with {@link PassStart#RESUME} a
     * killed pass continues after its last complete epoch with the numbers an uninterrupted pass would have had, and a
     * finished one returns its results untrained.
     */
    public List<RunResult> train(TrainRequest request, TokenSource trainSource, TokenSource testSource) {
        Recipe recipe = request.recipe();
        Set<String> layers = checkSources(request, trainSource, testSource);
        int classes = classCount(request, trainSource, testSource);
        Engine engine = Engine.getEngine("PyTorch");
        TrainSplits splits = null;
        try (NDManager root = engine.newBaseManager()) {
            // Heads are built (and their options refused) before any data is touched; the seed fixes their init.
            List<List<Integer>> passes = planPasses(request, trainSource, testSource, classes, layers.size(), root);
            splits = TrainSplits.prepare(trainSource, request.selection(), List.copyOf(layers));
            int steps = splits.train().size() / recipe.batch();
            if (steps == 0) {
                throw new TrainInputException("--batch " + recipe.batch() + " is larger than the " + splits.train().size()
                        + " training rows (drop_last leaves no step)");
            }
            LocalDateTime started = LocalDateTime.now();
            RunResult[] results = new RunResult[request.heads().size()];
            for (int p = 0; p < passes.size(); p++) {
                List<Integer> members = passes.get(p);
                TrainRequest part = request.withHeads(members.stream().map(request.heads()::get).toList());
                List<RunResult> done = trainPass(engine, part, splits, trainSource, testSource, classes, steps, root,
                        started, p + 1, passes.size());
                for (int i = 0; i < members.size(); i++) results[members.get(i)] = done.get(i);
            }
            return List.of(results);
        } finally {
            if (splits != null && splits.train() != trainSource) splits.train().close();
            if (splits != null) splits.validation().ifPresent(TokenSource::close);
        }
    }

    /**
     * The passes of a request, as groups of indices into its heads. Heads already in a pass recorded under the runs
     * folder (finished or not, same data and recipe) keep that pass, so a rerun resumes the same split whatever the
     * budget is now ({@link PassStart#FRESH} plans anew); the others are split by {@link PassSplitter} so that each
     * pass's estimated peak ({@link HeadMemory}) fits the budget.
     */
    private List<List<Integer>> planPasses(TrainRequest request, TokenSource train, TokenSource test, int classes,
                                           int layerCount, NDManager root) {
        Recipe recipe = request.recipe();
        TokenLayout layout = train.layout();
        List<String> lines = new ArrayList<>();
        List<PassSplitter.Head> sizes = new ArrayList<>();
        for (HeadSpec spec : request.heads()) {
            try (NDManager m = root.newSubManager(); ProbeHead head = factory.create(spec, layout, classes, m, recipe.seed())) {
                lines.add(PassRequests.headLine(spec, head.optionsUsed()));
                sizes.add(new PassSplitter.Head(HeadMemory.of(head, recipe.optimizer(), layout.dim(), classes).at(recipe.batch()),
                        "head " + RunNames.describe(spec.probe(), head.optionsUsed(), spec.layer(), spec.blr(), spec.weightDecay())));
            }
        }
        List<List<Integer>> passes = new ArrayList<>();
        boolean[] placed = new boolean[lines.size()];
        if (start == PassStart.RESUME) {
            Map<String, String> data = PassRequests.data(request, train.size(), test.size(), classes);
            Map<String, String> options = PassRequests.options(recipe);
            for (PassRequest earlier : PassDirectory.recorded(request.runsDir())) {
                earlierPass(earlier, data, options, lines, placed).ifPresent(passes::add);
            }
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < placed.length; i++) if (!placed[i]) rest.add(i);
        long shared = (long) recipe.batch() * HeadMemory.batchBytesPerSample(layout, layerCount, classes);
        List<List<Integer>> split = PassSplitter.split(rest.stream().map(sizes::get).toList(), shared, budget, recipe.batch());
        for (List<Integer> group : split) passes.add(group.stream().map(rest::get).toList());
        long total = shared + sizes.stream().mapToLong(PassSplitter.Head::bytes).sum();
        if (passes.size() > 1) {
            progress.note(String.format(Locale.ROOT, "%d heads in %d passes: together they need about %s at --batch %d, "
                    + "more than the memory budget of %s%s", lines.size(), passes.size(), MemoryBudget.human(total),
                    recipe.batch(), budget, split.size() < passes.size() ? " (or were split so when first trained)" : ""));
        } else {
            progress.note(String.format(Locale.ROOT, "%d %s in one pass: about %s at --batch %d (estimate), within the memory "
                    + "budget of %s", lines.size(), lines.size() == 1 ? "head" : "heads", MemoryBudget.human(total),
                    recipe.batch(), budget));
        }
        return passes;
    }

    /** The heads of {@code earlier}, in its order, when it is a pass of this run whose heads are all still unplaced. */
    private static Optional<List<Integer>> earlierPass(PassRequest earlier, Map<String, String> data, Map<String, String> options,
                                                       List<String> lines, boolean[] placed) {
        if (!earlier.options().equals(options)) return Optional.empty();
        List<Integer> members = new ArrayList<>();
        Map<String, String> rest = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : earlier.identity().entrySet()) {
            if (!e.getKey().startsWith(PassRequests.HEAD)) {
                rest.put(e.getKey(), e.getValue());
                continue;
            }
            int index = lines.indexOf(e.getValue());
            if (index < 0 || placed[index] || members.contains(index)) return Optional.empty();
            members.add(index);
        }
        if (members.isEmpty() || !rest.equals(data)) return Optional.empty();
        members.forEach(i -> placed[i] = true);
        return Optional.of(members);
    }

    private List<RunResult> trainPass(Engine engine, TrainRequest request, TrainSplits splits, TokenSource trainSource,
                                      TokenSource testSource, int classes, int steps, NDManager root, LocalDateTime started,
                                      int passNumber, int passCount) {
        Recipe recipe = request.recipe();
        TokenLayout layout = trainSource.layout();
        Set<String> layers = new LinkedHashSet<>();
        for (HeadSpec h : request.heads()) layers.add(h.layer());
        List<HeadRun> runs = new ArrayList<>();
        PassDirectory pass = null;
        StagingBuffers staging = new StagingBuffers();
        try (NDManager passManager = root.newSubManager()) {
            engine.setRandomSeed(recipe.seed());
            for (HeadSpec spec : request.heads()) runs.add(build(spec, layout, classes, passManager, recipe));
            for (HeadRun r : runs) r.setSchedule(new WarmupCosine(r.peakLr, recipe.warmupEpochs(), recipe.epochs(), steps));
            List<String> lines = runs.stream().map(r -> PassRequests.headLine(r.spec, r.head.optionsUsed())).toList();
            pass = PassDirectory.open(request.runsDir(), PassRequests.of(request, lines, trainSource.size(), testSource.size(), classes),
                    start == PassStart.FRESH);
            String label = passCount == 1 ? "" : "pass " + passNumber + "/" + passCount + ": ";
            if (pass.finished()) {
                pass.finish();
                progress.note(label + "pass already trained (" + pass.path() + "); --fresh trains it again");
                return pass.runs().orElseThrow().stream().map(RunDirectory::readResult).toList();
            }
            PassTimes times = new PassTimes();
            List<RunDirectory> dirs = pass.runs().orElse(null);
            int done = 0;
            if (dirs == null) {
                dirs = startPass(pass, runs, request, started);
            } else {
                done = PassCheckpoints.restore(pass, runs, dirs, times, passManager);
                progress.note(label + "continuing the pass in " + pass.path() + " after epoch " + done + "/" + recipe.epochs());
            }
            progress.passStart(passNumber, passCount, runs.size(), recipe.epochs(), steps, done);
            for (int epoch = done; epoch < recipe.epochs(); epoch++) {
                trainEpoch(engine, runs, splits.train(), layers, layout, classes, recipe, epoch, steps, passManager, times, staging);
                long e0 = System.nanoTime();
                List<Accuracy> test = evaluate(runs, testSource, layers, layout, classes, recipe.batch(), passManager, staging);
                Optional<List<Accuracy>> val = splits.validation()
                        .map(v -> evaluate(runs, v, layers, layout, classes, recipe.batch(), passManager, staging));
                times.evalSeconds += (System.nanoTime() - e0) / 1e9;
                for (int i = 0; i < runs.size(); i++) {
                    HeadRun r = runs.get(i);
                    int index = i;
                    EpochRecord rec = new EpochRecord(epoch + 1, r.lastLr, r.meanLoss(), test.get(i).top1Percent(),
                            test.get(i).top5Percent(), val.map(v -> v.get(index).top1Percent()).orElse(Double.NaN),
                            times.lastEpochSeconds, test.get(i).meanPerClassPercent());
                    r.endEpoch(rec);
                    dirs.get(i).appendEpoch(rec);
                }
                progress.epochEnd(label + EpochSummary.of(runs, epoch + 1, recipe.epochs()));
                PassCheckpoints.save(pass, runs, epoch + 1, times, passManager);
            }
            progress.passEnd();
            List<RunResult> results = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                results.add(FinishedHead.save(runs.get(i), dirs.get(i), request, splits.train().size(), testSource.size(),
                        runs.size(), times, passManager));
            }
            pass.finish();
            return results;
        } finally {
            if (pass != null) pass.close();
            runs.forEach(HeadRun::close);
        }
    }

    /** A new pass: one run folder per head, named from the run's start time, recorded in the pass folder. */
    private static List<RunDirectory> startPass(PassDirectory pass, List<HeadRun> runs, TrainRequest request, LocalDateTime started) {
        List<RunDirectory> dirs = new ArrayList<>();
        for (HeadRun r : runs) {
            dirs.add(RunDirectory.create(request.runsDir(), RunNames.head(started, r.spec.probe(), r.head.optionsUsed(),
                    r.spec.layer(), r.spec.blr(), r.spec.weightDecay(), request.recipe().seed())));
        }
        pass.start(dirs);
        return dirs;
    }

    private HeadRun build(HeadSpec spec, TokenLayout layout, int classes, NDManager root, Recipe recipe) {
        NDManager m = root.newSubManager();
        ProbeHead head = factory.create(spec, layout, classes, m, recipe.seed());
        return new HeadRun(spec, head, recipe.optimizer().create(m, spec.weightDecay()), recipe.peakLr(spec.blr()), m);
    }

    private void trainEpoch(Engine engine, List<HeadRun> runs, TokenSource train, Set<String> layers, TokenLayout layout,
                            int classes, Recipe recipe, int epoch, int steps, NDManager root, PassTimes times,
                            StagingBuffers staging) {
        progress.epochStart(epoch + 1, recipe.epochs(), steps);
        long t0 = System.nanoTime();
        double cpu0 = PassTimes.processCpuSeconds();
        Iterator<TokenBatch> it = train.batches(new EpochPlan(recipe.batch(), true, recipe.seed(), epoch, true));
        long samples = 0;
        for (int step = 0; step < steps && it.hasNext(); step++) {
            TokenBatch batch = it.next();
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                BatchTensors t = BatchTensors.of(batch, layers, layout, classes, bm, staging);
                List<NDArray> losses = new ArrayList<>(runs.size());
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray total = null;
                    for (HeadRun r : runs) {
                        NDArray loss = Losses.crossEntropy(r.head.forward(t.tokens().get(r.spec.layer()), true), t.oneHot());
                        losses.add(loss);
                        total = total == null ? loss : total.add(loss);
                    }
                    gc.backward(total);
                }
                for (int i = 0; i < runs.size(); i++) {
                    HeadRun r = runs.get(i);
                    r.addLoss(losses.get(i).getFloat());
                    r.lastLr = r.schedule().lr(epoch, step);
                    r.optimizer.step(r.head.parameters(), r.lastLr);
                    for (NDArray p : r.head.parameters().values()) JniUtils.zeroGrad((PtNDArray) p);
                }
            }
            samples += batch.size();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            progress.step(runs.stream().mapToDouble(HeadRun::meanLoss).average().orElse(0), samples / elapsed);
        }
        // the loop stops on the step count, before asking for another batch: asking once more ends the epoch,
        // which hands the batch buffers back to the cache's pool instead of allocating new ones next epoch
        it.hasNext();
        times.lastEpochSeconds = (System.nanoTime() - t0) / 1e9;
        times.trainSeconds += times.lastEpochSeconds;
        times.trainCpuSeconds += PassTimes.processCpuSeconds() - cpu0;
        times.trainSamples += samples;
    }

    private static List<Accuracy> evaluate(List<HeadRun> runs, TokenSource source, Set<String> layers, TokenLayout layout,
                                           int classes, int batch, NDManager root, StagingBuffers staging) {
        List<Accuracy> acc = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) acc.add(new Accuracy());
        Iterator<TokenBatch> it = source.batches(EpochPlan.sequential(batch));
        while (it.hasNext()) {
            TokenBatch b = it.next();
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                BatchTensors t = BatchTensors.of(b, layers, layout, classes, bm, staging);
                for (int i = 0; i < runs.size(); i++) {
                    HeadRun r = runs.get(i);
                    acc.get(i).add(r.head.forward(t.tokens().get(r.spec.layer()), false), t.oneHot());
                }
            }
        }
        return acc;
    }

    private static Set<String> checkSources(TrainRequest request, TokenSource train, TokenSource test) {
        TokenLayout a = train.layout();
        TokenLayout b = test.layout();
        if (a.tokens() != b.tokens() || a.dim() != b.dim() || a.prefixTokens() != b.prefixTokens()) {
            throw new TrainInputException("test cache token layout " + b + " differs from the train cache's " + a);
        }
        Set<String> layers = new LinkedHashSet<>();
        for (HeadSpec h : request.heads()) {
            if (!train.layers().contains(h.layer()) || !test.layers().contains(h.layer())) {
                throw new TrainInputException("--layer " + h.layer() + ": not in the cache (available: "
                        + String.join(", ", train.layers()) + ")");
            }
            layers.add(h.layer());
        }
        return layers;
    }

    private static int classCount(TrainRequest request, TokenSource train, TokenSource test) {
        int classes = request.numClasses() > 0 ? request.numClasses() : train.numClasses();
        if (classes < 2) throw new TrainInputException("train cache has " + train.numClasses() + " label classes; probing needs at least 2");
        if (train.numClasses() > classes || test.numClasses() > classes) {
            throw new TrainInputException("cache labels exceed the class count " + classes + " (train labels up to "
                    + (train.numClasses() - 1) + ", test up to " + (test.numClasses() - 1) + ")");
        }
        return classes;
    }
}
