package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * result.json {@code selection}: the run was one of the {@code heads} runs of one {@code glimpse train --select val}
 * invocation (its selection {@code group}), among which {@code winner} (a run id) had the best validation top-1 at
 * its best validation epoch; {@code chosen} says whether this run is that winner. The test split plays no part.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectionRecord(String group, String criterion, Integer heads, String winner, Boolean chosen) {
    public static final String VAL_TOP1 = "val_top1";
}
