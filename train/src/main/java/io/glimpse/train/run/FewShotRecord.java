package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * result.json {@code few_shot}: the run trained on {@code shots} images of every class, drawn for try {@code draw}
 * (1-based) of {@code draws}; the report averages the tries of one configuration and k.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FewShotRecord(Integer shots, Integer draw, Integer draws) {
}
