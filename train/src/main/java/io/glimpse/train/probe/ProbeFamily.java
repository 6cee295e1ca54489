package io.glimpse.train.probe;

/** The study's three kinds of probe head (docs/heads.md#probe-names). */
public enum ProbeFamily {
    /** Linear probing: one vector per image by a fixed rule (CLS, or the mean of the patches). */
    LINEAR,
    /** Efficient probing (EP), the study's method: M queries, options {@code queries} and {@code d_out}. */
    EFFICIENT,
    /** The other poolings the study compares EP against. */
    ATTENTIVE
}
