package io.glimpse.train.parity;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One reference configuration next to Glimpse's run of it (percent top-1 on the test split). {@code deltaBest} =
 * ours − reference for the best epoch; {@code withinTarget} compares |deltaBest| with {@code target} (0.5 points for
 * linear, linear-gap and efficient, 1.0 for the other heads). Our fields are null while the configuration has not
 * been run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParityRow(String probe, Map<String, Object> options, String layer, long referenceParams, Long params,
                        Double top1Best, Integer bestEpoch, Double top1Last, double referenceTop1Best,
                        int referenceBestEpoch, double referenceTop1Last, Double deltaBest, Double deltaLast,
                        double target, Boolean withinTarget, Double trainSeconds, Double trainCpuSeconds,
                        Integer headsInPass, double referenceTrainSeconds, double referenceTrainCpuSeconds, String runId) {
}
