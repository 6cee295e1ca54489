package io.glimpse.cache;

/**
 * Shape of one cached token sequence: {@code tokens} = {@code prefixTokens} (CLS, registers) followed by the
 * patch tokens in row-major grid order, each of width {@code dim}. {@code gridH}/{@code gridW} are 0 when the
 * patches do not form a known grid. Nothing in Glimpse may assume particular values.
 */
public record TokenLayout(int tokens, int dim, int prefixTokens, int gridH, int gridW) {

    public TokenLayout {
        if (tokens <= 0 || dim <= 0) throw new IllegalArgumentException("token layout needs T>0 and D>0, got T=" + tokens + " D=" + dim);
        if (prefixTokens < 0 || prefixTokens > tokens) throw new IllegalArgumentException("prefix tokens " + prefixTokens + " outside [0, " + tokens + "]");
        if (gridH < 0 || gridW < 0) throw new IllegalArgumentException("negative grid " + gridH + "x" + gridW);
        if (gridH * gridW != 0 && gridH * gridW != tokens - prefixTokens) {
            throw new IllegalArgumentException("grid " + gridH + "x" + gridW + " does not hold the " + (tokens - prefixTokens) + " patch tokens");
        }
    }

    public int patches() {
        return tokens - prefixTokens;
    }

    public boolean hasGrid() {
        return gridH > 0 && gridW > 0;
    }

    public boolean squareGrid() {
        return hasGrid() && gridH == gridW;
    }

    /** Values per row and layer: T*D. */
    public int rowValues() {
        return tokens * dim;
    }
}
