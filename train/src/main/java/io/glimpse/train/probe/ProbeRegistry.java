package io.glimpse.train.probe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.glimpse.cache.TokenLayout;
import io.glimpse.train.TrainInputException;
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
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Probe name -> head constructor and {@link ProbeInfo}, for the names of docs/heads.md#probe-names: the study's probes
 * plus {@code abmilp-none}, the sa=none AbMILP that testdata/reference.json reports (docs/heads.md#abmilp-none).
 * {@link #names()} is what {@code --probe all} expands to. One extra name, {@value #EFFICIENT_PROJECT_ALL}, builds EP
 * in the study's project-every-token order for the pool-first benchmark; it is accepted by {@link #create} but not
 * listed.
 */
public final class ProbeRegistry {
    public static final String EFFICIENT_PROJECT_ALL = "efficient-project-all";
    private static final String STUDY = "; as coded in billpsomas/efficient-probing";
    private static final String EP = "efficient probing, Psomas et al. 2025 (ICLR 2026), arXiv 2506.10178" + STUDY + " (poolings/ep.py)";
    private static final String LP = "linear probing with a non-affine BatchNorm, MAE recipe, He et al. 2021, arXiv 2111.06377";

    private record Entry(ProbeInfo info, TokenSelection selection, boolean poolingFirst,
                         BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> listed = new ArrayList<>();

    public ProbeRegistry() {
        classifierFirst("linear", ProbeFamily.LINEAR, false, LP + ", on the CLS token", TokenSelection.CLS, TokenReads.CLS,
                (spec, store) -> new VectorPooling(spec, VectorPooling.Source.CLS));
        classifierFirst("linear-gap", ProbeFamily.LINEAR, false, LP + ", on the mean of the patch tokens", TokenSelection.PATCHES,
                TokenReads.PATCH_MEAN, (spec, store) -> new VectorPooling(spec, VectorPooling.Source.MEAN_OF_PATCHES));
        poolingFirst("efficient", EP, TokenSelection.PATCHES, EfficientPooling.Order.POOL_FIRST);
        poolingFirst("efficient-all", EP + ", over CLS and patch tokens", TokenSelection.ALL, EfficientPooling.Order.POOL_FIRST);
        attentive("abmilp", "attention-based MIL pooling, Ilse et al. 2018, arXiv 1802.04712" + STUDY + " (sa=both)",
                (spec, store) -> new AbmilpPooling(spec, store, AbmilpPooling.SelfAttention.BOTH));
        attentive("abmilp-none", "attention-based MIL pooling, Ilse et al. 2018, arXiv 1802.04712" + STUDY + " (sa=none)",
                (spec, store) -> new AbmilpPooling(spec, store, AbmilpPooling.SelfAttention.NONE));
        attentive("simpool", "SimPool, Psomas et al. 2023, arXiv 2309.06891" + STUDY, SimPooling::new);
        attentive("esimpool", "SimPool without its linear layers" + STUDY + " (SimPool_nolinears)", ESimPooling::new);
        attentive("clip", "CLIP's ResNet attention pool (AttentionPool2d), Radford et al. 2021, arXiv 2103.00020" + STUDY, ClipPooling::new);
        attentive("siglip", "SigLIP's MAP head (timm AttentionPoolLatent), Zhai et al. 2023, arXiv 2303.15343" + STUDY, SiglipPooling::new);
        attentive("aim", "AIM's attentive probe (AttentionPoolingClassifier), El-Nouby et al. 2024, arXiv 2401.08541" + STUDY, AimPooling::new);
        withoutMaps("cbam", "CBAM channel and spatial gates, Woo et al. 2018, arXiv 1807.06521" + STUDY, CbamPooling::new);
        attentive("coca", "CoCa's attentional pooler (coca_pytorch CrossAttention), Yu et al. 2022, arXiv 2205.01917" + STUDY, CocaPooling::new);
        attentive("cait", "CaiT class-attention (CAPooling), Touvron et al. 2021, arXiv 2103.17239" + STUDY, CaitPooling::new);
        withoutMaps("dinovit", "one DINOv2-style ViT block, then GAP, Oquab et al. 2023, arXiv 2304.07193" + STUDY, DinoVitPooling::new);
        attentive("jepa", "V-JEPA's attentive probe (AttentivePooler), Bardes et al. 2024, arXiv 2404.08471" + STUDY, JepaPooling::new);
        withoutMaps("dolg", "DOLG's local branch without ASPP (SpatialAttention2d), Yang et al. 2021, arXiv 2108.02927" + STUDY, DolgPooling::new);
        attentive("cae", "CAE's attentive probe (CAEAttentiveBlock), Chen et al. 2022, arXiv 2202.03026" + STUDY, CaePooling::new);
        entries.put(EFFICIENT_PROJECT_ALL, new Entry(new ProbeInfo(EFFICIENT_PROJECT_ALL, ProbeFamily.EFFICIENT, true,
                EP + ", in the code's project-every-token order", TokenReads.TOKENS), TokenSelection.PATCHES, true,
                (spec, store) -> new EfficientPooling(spec, store, EfficientPooling.Order.PROJECT_ALL)));
    }

    /** One of the study's other poolings over the patch tokens, with attention maps. */
    private void attentive(String name, String citation, BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
        classifierFirst(name, ProbeFamily.ATTENTIVE, true, citation, TokenSelection.PATCHES, TokenReads.TOKENS, factory);
    }

    /** One of the study's other poolings over the patch tokens whose weights are no map over the tokens. */
    private void withoutMaps(String name, String citation, BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
        classifierFirst(name, ProbeFamily.ATTENTIVE, false, citation, TokenSelection.PATCHES, TokenReads.TOKENS, factory);
    }

    private void classifierFirst(String name, ProbeFamily family, boolean attentionMaps, String citation,
                                 TokenSelection selection, TokenReads reads, BiFunction<PoolingSpec, ParameterStore, Pooling> factory) {
        entries.put(name, new Entry(new ProbeInfo(name, family, attentionMaps, citation, reads), selection, false, factory));
        listed.add(name);
    }

    private void poolingFirst(String name, String citation, TokenSelection selection, EfficientPooling.Order order) {
        entries.put(name, new Entry(new ProbeInfo(name, ProbeFamily.EFFICIENT, true, citation, TokenReads.TOKENS), selection, true,
                (spec, store) -> new EfficientPooling(spec, store, order)));
        listed.add(name);
    }

    /** Every trainable probe, in the order of the table in docs/heads.md. */
    public List<String> names() {
        return Collections.unmodifiableList(listed);
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Facts about a probe; empty for a name this registry does not know (e.g. a result.json from elsewhere). */
    public Optional<ProbeInfo> find(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::info);
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
            throw new TrainInputException("unknown --probe '" + name + "'; allowed: all, " + String.join(", ", listed));
        }
        if (numClasses < 2) {
            throw new TrainInputException("probe " + name + " needs at least 2 classes, got " + numClasses);
        }
        PoolingSpec spec = new PoolingSpec(name, options, layout, entry.selection().count(layout));
        return new PooledProbe(name, entry.selection(), entry.poolingFirst(), entry.factory(), spec, numClasses,
                manager, dataType, seed);
    }
}
