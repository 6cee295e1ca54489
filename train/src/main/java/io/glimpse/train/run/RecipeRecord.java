package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * result.json {@code recipe}: what a head was trained with (lr = blr × batch / 256, the peak of the schedule).
 * Boxed so that a hand-written or older file's missing members stay missing when read and written back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecipeRecord(String optimizer, Double lr, Double blr, Integer batch, Double warmup, Integer epochs,
                           String schedule, Double weightDecay, Boolean dropLast) {
}
