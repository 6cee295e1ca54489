package io.glimpse.eval.attention;

/** One sample's attention maps on its patch grid: {@code maps[m]} is query m's map, gridH×gridW row-major. */
public record AttentionImage(String id, int label, float[][] maps, int gridH, int gridW) {
}
