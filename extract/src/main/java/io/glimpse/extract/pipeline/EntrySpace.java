package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.TokenDtype;
import io.glimpse.cache.TokenLayout;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.store.FreeSpace;

import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * The disk space an extraction still needs, checked before the backbone runs and before the entry's folder exists,
 * so that a cache on a disk too small for it is refused at once instead of failing hours later on a full disk.
 * Every engine that fills an entry (this JVM's {@link Extractor}, a distributed driver) checks it.
 */
public final class EntrySpace {
    /** Per row: its id, the shard's offsets and padding, its slot in the id index (ids are rarely longer than a path). */
    static final long ROW_OVERHEAD = 256;
    /** Per entry: manifest, index header, shard footers. */
    static final long ENTRY_OVERHEAD = 4L << 20;

    private EntrySpace() {
    }

    /**
     * Bytes that {@code rows} more rows take: per stored layer T x D values of the entry's dtype plus the CLS and
     * patch-mean float vectors of the sidecar built at the end, and {@link #ROW_OVERHEAD} per row.
     */
    public static long bytes(long rows, TokenLayout layout, int layers, int dtypeBytes) {
        return bytesOfRows(rows, layout, layers, (long) layout.rowValues() * dtypeBytes);
    }

    /** As {@link #bytes(long, TokenLayout, int, int)} for {@code dtype}, int8's per-token scales included. */
    public static long bytes(long rows, TokenLayout layout, int layers, TokenDtype dtype) {
        return bytesOfRows(rows, layout, layers, dtype.rowBytes(layout));
    }

    private static long bytesOfRows(long rows, TokenLayout layout, int layers, long tokenRowBytes) {
        if (rows <= 0) return 0;
        long perLayer = tokenRowBytes + 2L * layout.dim() * Float.BYTES;
        return rows * (layers * perLayer + ROW_OVERHEAD) + ENTRY_OVERHEAD;
    }

    /**
     * Throws a one-line {@code BadInputException} naming the cache root, the bytes needed and the bytes free when the
     * rows of {@code plannedRows} not yet committed to {@code d}'s entry (a PARTIAL one resumes) visibly cannot fit.
     */
    public static void require(CacheStore store, CacheDescription d, TokenLayout layout, long plannedRows, ToLongFunction<Path> usable) {
        long committed = store.find(d.key()).filter(e -> e.status() == EntryStatus.PARTIAL)
                .flatMap(CacheEntryInfo::manifest).map(Manifest::rows).orElse(0L);
        long rows = plannedRows - committed;
        FreeSpace.require(store.root(), bytes(rows, layout, d.layers().size(), d.dtype()),
                "cache entry " + d.key().shortForm() + " (" + d.split() + ", " + rows + " rows of " + d.layers().size() + " layer(s) x "
                        + layout.tokens() + "x" + layout.dim() + " " + d.dtype().label() + ")", usable);
    }
}
