package io.glimpse.train.probe;

/**
 * Options of one probe head (docs/heads.md#options): {@code queries} M and {@code dOut} for EP, {@code heads} for
 * multi-head poolings (0 = the study's default for that probe, reduced to the largest divisor of D not above it
 * and recorded as used). result.json records the options a head actually used, {@link ProbeHead#optionsUsed()}.
 */
public record ProbeOptions(int queries, int dOut, int heads) {
    public static final ProbeOptions DEFAULTS = new ProbeOptions(32, 1, 0);

    public ProbeOptions {
        if (queries <= 0) throw new IllegalArgumentException("--queries must be > 0, got " + queries);
        if (dOut <= 0) throw new IllegalArgumentException("--d-out must be > 0, got " + dOut);
        if (heads < 0) throw new IllegalArgumentException("--heads must be >= 0 (0 = probe default), got " + heads);
    }
}
