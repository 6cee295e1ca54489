package io.glimpse.cache.manifest;

/** One committed shard as recorded in the manifest: file name in the entry directory, rows, size, CRC-32C (hex). */
public record ShardRecord(String file, int rows, long bytes, String crc32c) {
}
