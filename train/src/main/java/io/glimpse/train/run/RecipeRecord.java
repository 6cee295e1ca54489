package io.glimpse.train.run;

/** result.json {@code recipe}: what a head was trained with (lr = blr × batch / 256, the peak of the schedule). */
public record RecipeRecord(String optimizer, double lr, double blr, int batch, double warmup, int epochs,
                           String schedule, double weightDecay, boolean dropLast) {
}
