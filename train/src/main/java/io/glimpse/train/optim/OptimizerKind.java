package io.glimpse.train.optim;

import ai.djl.ndarray.NDManager;
import io.glimpse.train.TrainInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The optimizers {@code --optimizer} accepts, by CLI name. */
public enum OptimizerKind {
    LARS("lars"), ADAMW("adamw"), SGD("sgd");

    private final String cliName;

    OptimizerKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public Optimizer create(NDManager manager, double weightDecay) {
        return switch (this) {
            case LARS -> new Lars(manager, weightDecay);
            case ADAMW -> new AdamW(manager, weightDecay);
            case SGD -> new SgdMomentum(manager, weightDecay, 0.9);
        };
    }

    public static OptimizerKind parse(String name) {
        for (OptimizerKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) return k;
        }
        throw new TrainInputException("--optimizer: unknown optimizer '" + name + "' (allowed: "
                + Arrays.stream(values()).map(OptimizerKind::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
