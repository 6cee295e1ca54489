package io.glimpse.train.probe.nn;

import java.util.Random;

/**
 * How one parameter tensor's initial values are drawn, element by element, from the head's seeded
 * {@link Random}. Values are drawn in Java (not by the engine) so that one seed gives identical heads on any
 * machine and engine build; {@link Random}'s algorithms are fixed by its specification.
 */
@FunctionalInterface
public interface Init {
    double sample(Random random);

    /** This init's draws multiplied by {@code factor} (V-JEPA's rescaled output projections). */
    default Init times(double factor) {
        return r -> sample(r) * factor;
    }

    /** U(-bound, bound). */
    static Init uniform(double bound) {
        return r -> (2 * r.nextDouble() - 1) * bound;
    }

    /**
     * PyTorch's default for Linear and Conv weights and biases: kaiming_uniform(a=sqrt(5)) reduces to
     * U(+-1/sqrt(fan_in)), and the bias uses the same bound.
     */
    static Init torchDefault(long fanIn) {
        return uniform(1.0 / Math.sqrt(fanIn));
    }

    /** N(0, std^2). */
    static Init normal(double std) {
        return r -> r.nextGaussian() * std;
    }

    /** N(0, std^2) truncated to [lo, hi] by rejection (timm / V-JEPA {@code trunc_normal_}, absolute bounds). */
    static Init truncatedNormal(double std, double lo, double hi) {
        return r -> {
            while (true) {
                double v = r.nextGaussian() * std;
                if (v >= lo && v <= hi) return v;
            }
        };
    }

    /** timm {@code trunc_normal_(std)}: absolute cut at +-2, which at small std is no truncation at all. */
    static Init truncatedNormal(double std) {
        return truncatedNormal(std, -2, 2);
    }

    /** timm {@code trunc_normal_tf_}: standard normal cut at +-2 sigma, then scaled by std. */
    static Init truncatedNormalTf(double std) {
        return truncatedNormal(std, -2 * std, 2 * std);
    }

    static Init constant(double value) {
        return r -> value;
    }
}
