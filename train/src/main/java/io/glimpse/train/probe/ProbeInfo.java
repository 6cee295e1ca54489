package io.glimpse.train.probe;

/**
 * What is known about a probe besides how to build it, so no other stage guesses it from the name.
 *
 * @param attentionMaps whether its heads return maps from {@link ProbeHead#attention} (the complementarity
 *                      metrics and attention figures need them)
 * @param citation      the paper and code the pooling comes from
 * @param reads         what it reads of each token sequence, so a pass whose heads all read one stored vector reads
 *                      only that vector from the cache
 */
public record ProbeInfo(String name, ProbeFamily family, boolean attentionMaps, String citation, TokenReads reads) {
}
