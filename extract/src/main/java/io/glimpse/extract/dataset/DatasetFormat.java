package io.glimpse.extract.dataset;

/** Supported dataset layouts. */
public enum DatasetFormat {
    /** MNIST-family IDX files, optionally gzipped. */
    IDX,
    /** root/&lt;class&gt;/&lt;image&gt;, classes sorted by name. */
    IMAGEFOLDER,
    /** CSV/TSV lines of path,label. */
    LIST
}
