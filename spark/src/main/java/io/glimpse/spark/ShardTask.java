package io.glimpse.spark;

import java.io.Serializable;

/** One partition of the work: plan rows {@code from..to-1}, which become the entry's shard number {@code shard}. */
record ShardTask(int index, int shard, int from, int to) implements Serializable {
}
