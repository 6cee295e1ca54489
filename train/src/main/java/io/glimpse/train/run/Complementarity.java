package io.glimpse.train.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * result.json {@code complementarity}, eval's measurement of a head's attention maps over an evaluated split (Glimpse's
 * own definitions, docs/result-json.md#complementarity): mean pairwise cosine similarity of the M maps of an image, the
 * mean over maps of the most similar other map, and the mean Shannon entropy (nats) of one query's map; each averaged
 * over images. {@code maxEntropy} = ln N, the entropy of a uniform map, so the entropy can be read on its own scale.
 * Similarities are NaN for single-query heads (no pairs), written as null: JSON has no NaN.
 */
@JsonIgnoreProperties(value = "definition", allowGetters = true)
@JsonPropertyOrder({"avg_similarity", "max_similarity", "entropy_mean", "entropy_max", "queries", "tokens", "images", "split"})
public record Complementarity(
        @JsonSerialize(using = NanAsNull.Writer.class) @JsonDeserialize(using = NanAsNull.Reader.class) double avgSimilarity,
        @JsonSerialize(using = NanAsNull.Writer.class) @JsonDeserialize(using = NanAsNull.Reader.class) double maxSimilarity,
        @JsonProperty("entropy_mean") @JsonDeserialize(using = NanAsNull.Reader.class) double meanEntropy,
        @JsonProperty("entropy_max") @JsonSerialize(using = NanAsNull.Writer.class) @JsonDeserialize(using = NanAsNull.Reader.class) double maxEntropy,
        int queries, int tokens, int images, String split) {

    /** Written with the numbers so a reader of the file knows which definitions they follow. */
    @JsonProperty("definition")
    public String definition() {
        return "Glimpse's (docs/result-json.md#complementarity): cosine similarity of a head's M attention maps"
                + " per image";
    }
}
