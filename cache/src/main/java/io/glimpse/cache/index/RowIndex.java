package io.glimpse.cache.index;

import io.glimpse.cache.BadInputException;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The entry's {@code index} file: a persisted Chronicle Map from sample id to (shard, row), packed in one long
 * (shard in the high 32 bits). Chronicle Map is off-heap and memory-mapped, so a lookup touches a few pages of the
 * file instead of loading every id, and many processes may open it at once. A Chronicle Map's capacity is fixed
 * when the file is created; the writer rebuilds the file with room to spare when it would overflow.
 */
public final class RowIndex implements AutoCloseable {
    public static final String FILE = "index";

    private final ChronicleMap<CharSequence, Long> map;
    private final long capacity;

    private RowIndex(ChronicleMap<CharSequence, Long> map, long capacity) {
        this.map = map;
        this.capacity = capacity;
    }

    /** Creates a new index file (replacing nothing: the file must not exist). */
    public static RowIndex create(Path file, long capacity, double averageIdBytes) throws IOException {
        if (Files.exists(file)) throw new IOException(file + " already exists");
        long entries = Math.max(capacity, 16);
        ChronicleMap<CharSequence, Long> map = ChronicleMap.of(CharSequence.class, Long.class)
                .name("glimpse-row-index")
                .entries(entries)
                .averageKeySize(Math.max(averageIdBytes, 4.0))
                .createPersistedTo(file.toFile());
        return new RowIndex(map, entries);
    }

    /** Opens an existing index; a missing file is an error naming it (opening never creates one). */
    public static RowIndex open(Path file, String where) {
        if (!Files.isRegularFile(file)) throw new BadInputException(where + ": index is missing");
        try {
            ChronicleMap<CharSequence, Long> map = ChronicleMap.of(CharSequence.class, Long.class)
                    .name("glimpse-row-index")
                    .createPersistedTo(file.toFile());
            return new RowIndex(map, map.size());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(where + ": index is not a readable Chronicle Map (" + e.getMessage() + ")", e);
        }
    }

    public static long pack(int shard, int row) {
        return ((long) shard << 32) | (row & 0xffffffffL);
    }

    public static int shardOf(long packed) {
        return (int) (packed >>> 32);
    }

    public static int rowOf(long packed) {
        return (int) packed;
    }

    public void put(String id, int shard, int row) {
        map.put(id, pack(shard, row));
    }

    public OptionalLong get(String id) {
        Long v = map.get(id);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public boolean contains(String id) {
        return map.containsKey(id);
    }

    public long size() {
        return map.longSize();
    }

    /** Entries the file was sized for when created (for opened files: at least its current size). */
    public long capacity() {
        return capacity;
    }

    @Override
    public void close() {
        map.close();
    }
}
