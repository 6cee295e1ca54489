package io.glimpse.cache.index;

import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ShardRecord;
import io.glimpse.cache.shard.MappedShard;
import io.glimpse.cache.shard.ShardSchema;
import io.glimpse.cache.store.AtomicFiles;
import io.glimpse.cache.store.EntryFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rebuilds an entry's index from its committed shards into a temp file, then renames it over {@code index}. */
public final class RowIndexBuilder {
    private RowIndexBuilder() {
    }

    /** Only the entry's writer (holding the lock) may call this. Returns the new index, open. */
    public static RowIndex rebuild(Path dir, Manifest manifest, ShardSchema schema, long capacity, String where) throws IOException {
        Path tmp = dir.resolve(RowIndex.FILE + EntryFiles.TEMP_SUFFIX);
        Files.deleteIfExists(tmp);
        List<ShardRecord> shards = manifest.shards();
        long idBytes = 0;
        int rows = 0;
        MappedShard[] mapped = new MappedShard[shards.size()];
        for (int s = 0; s < shards.size(); s++) {
            ShardRecord rec = shards.get(s);
            mapped[s] = MappedShard.open(dir.resolve(rec.file()), schema, rec.bytes(), rec.rows(), where + ": " + rec.file());
            for (int r = 0; r < Math.min(64, mapped[s].rows()); r++) {
                idBytes += mapped[s].id(r).length();
                rows++;
            }
        }
        try (RowIndex index = RowIndex.create(tmp, capacity, rows == 0 ? 16 : (double) idBytes / rows)) {
            for (int s = 0; s < mapped.length; s++) {
                for (int r = 0; r < mapped[s].rows(); r++) {
                    index.put(mapped[s].id(r), s, r);
                }
            }
        }
        AtomicFiles.rename(tmp, dir.resolve(RowIndex.FILE));
        return RowIndex.open(dir.resolve(RowIndex.FILE), where);
    }
}
