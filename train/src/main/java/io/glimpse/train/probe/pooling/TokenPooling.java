package io.glimpse.train.probe.pooling;

import java.util.Map;

/**
 * What the D -> D poolings share: the token width D, the number N of tokens they read, and the resolved head count
 * for those with a {@code --heads} option (the study default reduced to a divisor of D, docs/heads.md#options).
 */
abstract class TokenPooling implements Pooling {
    protected final int dim;
    protected final long tokens;
    /** 0 for poolings without a head option. */
    protected final int heads;

    /** A pooling whose head count follows {@code --heads}, defaulting to {@code studyHeads}. */
    protected TokenPooling(PoolingSpec spec, int studyHeads) {
        this.dim = spec.dim();
        this.tokens = spec.tokens();
        this.heads = studyHeads == 0 ? 0 : spec.heads(studyHeads);
    }

    /** A pooling without a head option. */
    protected TokenPooling(PoolingSpec spec) {
        this(spec, 0);
    }

    @Override
    public int outputDim() {
        return dim;
    }

    @Override
    public Map<String, Object> optionsUsed() {
        return heads == 0 ? Map.of() : Map.of("heads", heads);
    }
}
