package io.glimpse.eval.protocol;

/**
 * One probe trained under one protocol of the study: {@code cache} (plain eval-transform tokens, extracted once),
 * {@code views} (K augmented views per training image, extracted once, one drawn per epoch) or {@code online}
 * (the backbone in the loop, fresh augmentation every batch). Backbone passes count every image the frozen
 * backbone processed for this run, test images included; seconds are wall time. Evaluation time counts too:
 * an online run's test split goes through the backbone at every epoch's evaluation.
 */
public record ProtocolRun(String probe, String protocol, int views, int epochs, double top1Best, Double top1Last,
                          long backbonePasses, double extractSeconds, double trainSeconds, double evalSeconds) {

    public double totalSeconds() {
        return extractSeconds + trainSeconds + evalSeconds;
    }

    public String label() {
        return switch (protocol) {
            case "views" -> probe + " K=" + views + " views";
            case "online" -> probe + " online";
            default -> probe + " cache";
        };
    }
}
