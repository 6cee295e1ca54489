package io.glimpse.eval.study;

import io.glimpse.train.run.RunResult;

import java.util.List;

/**
 * One probe configuration at one schedule length: the runs of its recipe grid ({@code candidates}) and the one a
 * validation split chose ({@code selected}: the highest {@code val_top1_best}, the earlier run on a tie).
 */
public record StudyChoice(String configuration, int epochs, RunResult selected, List<RunResult> candidates) {
}
