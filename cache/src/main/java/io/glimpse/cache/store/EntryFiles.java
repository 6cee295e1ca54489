package io.glimpse.cache.store;

import java.util.regex.Pattern;

/** Names of the files inside an entry directory. */
public final class EntryFiles {
    public static final String SHARD_PREFIX = "shard-";
    public static final String SHARD_SUFFIX = ".arrow";
    public static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern SHARD = Pattern.compile("shard-\\d{5,}\\.arrow");

    private EntryFiles() {
    }

    public static String shardName(int shard) {
        return String.format("%s%05d%s", SHARD_PREFIX, shard, SHARD_SUFFIX);
    }

    public static boolean isShardName(String name) {
        return SHARD.matcher(name).matches();
    }
}
