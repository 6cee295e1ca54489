package io.glimpse.train.probe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.glimpse.cache.BadInputException;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.probe.nn.ParameterStore;
import io.glimpse.train.probe.pooling.AbmilpPooling;
import io.glimpse.train.probe.pooling.AimPooling;
import io.glimpse.train.probe.pooling.CaePooling;
import io.glimpse.train.probe.pooling.CaitPooling;
import io.glimpse.train.probe.pooling.CbamPooling;
import io.glimpse.train.probe.pooling.ClipPooling;
import io.glimpse.train.probe.pooling.CocaPooling;
import io.glimpse.train.probe.pooling.DinoVitPooling;
import io.glimpse.train.probe.pooling.DolgPooling;
import io.glimpse.train.probe.pooling.ESimPooling;
import io.glimpse.train.probe.pooling.EfficientPooling;
import io.glimpse.train.probe.pooling.JepaPooling;
import io.glimpse.train.probe.pooling.Pooling;
import io.glimpse.train.probe.pooling.PoolingSpec;
import io.glimpse.train.probe.pooling.SiglipPooling;
import io.glimpse.train.probe.pooling.SimPooling;
import io.glimpse.train.probe.pooling.TokenSelection;
import io.glimpse.train.probe.pooling.VectorPooling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Probe name -> head constructor (SPEC section 0 names, plus {@code abmilp-none}, the sa=none AbMILP that
 * REFERENCE.md reports). {@link #names()} is what {@code --probe all} expands to. One extra name,
 * {@value #EFFICIENT_PROJECT_ALL}, builds EP in the study's project-every-token order for the pool-first benchmark;
 * it is accepted by {@link #create} but not listed.
 */
public final class ProbeRegistry {
    public static final String EFFICIENT_PROJECT_ALL = "efficient-project-all";

    private record Entry(TokenSelection selection, boolean poolingFirst,
                         BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> listed = new ArrayList<>();

    public ProbeRegistry() {
        classifierFirst("linear", TokenSelection.CLS, (spec, store) -> new VectorPooling(spec, VectorPooling.Source.CLS));
        classifierFirst("linear-gap", TokenSelection.PATCHES, (spec, store) -> new VectorPooling(spec, VectorPooling.Source.MEAN_OF_PATCHES));
        poolingFirst("efficient", TokenSelection.PATCHES, EfficientPooling.Order.POOL_FIRST);
        poolingFirst("efficient-all", TokenSelection.ALL, EfficientPooling.Order.POOL_FIRST);
        classifierFirst("abmilp", TokenSelection.PATCHES, (spec, store) -> new AbmilpPooling(spec, store, AbmilpPooling.SelfAttention.BOTH));
        classifierFirst("abmilp-none", TokenSelection.PATCHES, (spec, store) -> new AbmilpPooling(spec, store, AbmilpPooling.SelfAttention.NONE));
        classifierFirst("simpool", TokenSelection.PATCHES, SimPooling::new);
        classifierFirst("esimpool", TokenSelection.PATCHES, ESimPooling::new);
        classifierFirst("clip", TokenSelection.PATCHES, ClipPooling::new);
        classifierFirst("siglip", TokenSelection.PATCHES, SiglipPooling::new);
        classifierFirst("aim", TokenSelection.PATCHES, AimPooling::new);
        classifierFirst("cbam", TokenSelection.PATCHES, CbamPooling::new);
        classifierFirst("coca", TokenSelection.PATCHES, CocaPooling::new);
        classifierFirst("cait", TokenSelection.PATCHES, CaitPooling::new);
        classifierFirst("dinovit", TokenSelection.PATCHES, DinoVitPooling::new);
        classifierFirst("jepa", TokenSelection.PATCHES, JepaPooling::new);
        classifierFirst("dolg", TokenSelection.PATCHES, DolgPooling::new);
        classifierFirst("cae", TokenSelection.PATCHES, CaePooling::new);
        entries.put(EFFICIENT_PROJECT_ALL, new Entry(TokenSelection.PATCHES, true,
                (spec, store) -> new EfficientPooling(spec, store, EfficientPooling.Order.PROJECT_ALL)));
    }

    private void classifierFirst(String name, TokenSelection selection, BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
        entries.put(name, new Entry(selection, false, factory));
        listed.add(name);
    }

    private void poolingFirst(String name, TokenSelection selection, EfficientPooling.Order order) {
        entries.put(name, new Entry(selection, true, (spec, store) -> new EfficientPooling(spec, store, order)));
        listed.add(name);
    }

    /** Every trainable probe, in SPEC order. */
    public List<String> names() {
        return Collections.unmodifiableList(listed);
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** A float32 head; parameters drawn from {@code seed}. */
    public ProbeHead create(String name, ProbeOptions options, TokenLayout layout, int numClasses, NDManager manager, long seed) {
        return create(name, options, layout, numClasses, manager, seed, DataType.FLOAT32);
    }

    /** As {@link #create(String, ProbeOptions, TokenLayout, int, NDManager, long)} in float32 or float64. */
    public PooledProbe create(String name, ProbeOptions options, TokenLayout layout, int numClasses, NDManager manager,
                              long seed, DataType dataType) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new BadInputException("unknown --probe '" + name + "'; allowed: all, " + String.join(", ", listed));
        }
        if (numClasses < 2) {
            throw new BadInputException("probe " + name + " needs at least 2 classes, got " + numClasses);
        }
        PoolingSpec spec = new PoolingSpec(name, options, layout, entry.selection().count(layout));
        return new PooledProbe(name, entry.selection(), entry.poolingFirst(), entry.factory(), spec, numClasses,
                manager, dataType, seed);
    }
}
