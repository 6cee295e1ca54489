package io.glimpse.cache.store;

import io.glimpse.cache.BadInputException;
import io.glimpse.cache.CacheKey;
import io.glimpse.cache.EntryStatus;
import io.glimpse.cache.VerifyReport;
import io.glimpse.cache.index.RowIndex;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.manifest.ShardRecord;
import io.glimpse.cache.shard.MappedShard;
import io.glimpse.cache.shard.ShardSchema;
import io.glimpse.cache.vectors.EntryVectors;
import io.glimpse.cache.vectors.MappedVectors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Checks an entry end to end, read-only: manifest parses; every recorded shard exists with its recorded size and
 * CRC-32C, is a well-formed Arrow file with the entry's schema and row count; ids are unique; the index holds
 * exactly the shards' ids at their (shard, row); no unrecorded shard lies in a complete entry; a vector sidecar, if
 * present, is sound.
 */
public final class EntryVerifier {
    private static final int MAX_INDEX_REPORTS = 3;

    private EntryVerifier() {
    }

    /** {@code progress} receives bytes checksummed so far (for a progress bar); may be null. */
    public static VerifyReport verify(Path dir, CacheKey key, LongConsumer progress) {
        String name = key.shortForm();
        String where = "cache entry " + name;
        List<String> problems = new ArrayList<>();
        Manifest m;
        try {
            m = new ManifestFiles().read(dir, name);
        } catch (BadInputException e) {
            problems.add(e.getMessage());
            return new VerifyReport(key, EntryStatus.BROKEN, 0, 0, 0, problems);
        }
        if (!m.key().equals(key.hex())) problems.add(where + ": " + ManifestFiles.FILE + " names key " + m.key() + ", not its directory's");
        if (!m.description().key().equals(key)) problems.add(where + ": " + ManifestFiles.FILE + " description hashes to " + m.description().key().shortForm() + ", not to the entry's key");
        ShardSchema schema = new ShardSchema(m.layout(), m.description().dtype(), m.description().layers());
        List<ShardRecord> recs = m.shards();
        MappedShard[] mapped = new MappedShard[recs.size()];
        long rows = 0;
        long[] done = {0};
        for (int s = 0; s < recs.size(); s++) {
            ShardRecord rec = recs.get(s);
            String at = where + ": " + rec.file();
            Path file = dir.resolve(rec.file());
            try {
                long size = Files.size(file);
                if (size != rec.bytes()) {
                    problems.add(at + (size < rec.bytes() ? ": truncated (" + size + " of " + rec.bytes() + " bytes)" : ": larger than recorded (" + size + " bytes, manifest says " + rec.bytes() + ")"));
                    continue;
                }
                String crc = crc32c(file, b -> {
                    done[0] += b;
                    if (progress != null) progress.accept(done[0]);
                });
                if (!crc.equals(rec.crc32c())) {
                    problems.add(at + ": checksum mismatch (crc32c recorded " + rec.crc32c() + ", computed " + crc + ")");
                    continue;
                }
                mapped[s] = MappedShard.open(file, schema, rec.bytes(), rec.rows(), at);
                rows += rec.rows();
            } catch (NoSuchFileException e) {
                problems.add(at + ": missing");
            } catch (BadInputException e) {
                problems.add(e.getMessage());
            } catch (IOException e) {
                problems.add(at + ": cannot read (" + e.getMessage() + ")");
            }
        }
        boolean shardsOk = problems.isEmpty();
        if (shardsOk && rows != m.rows()) problems.add(where + ": " + ManifestFiles.FILE + " says " + m.rows() + " rows, the shards hold " + rows);
        if (m.status() == EntryStatus.COMPLETE) strayShards(dir, m, where, problems);
        if (shardsOk) checkIndex(dir, m, mapped, where, problems);
        if (EntryVectors.present(dir)) checkVectors(dir, m, where, problems);
        return new VerifyReport(key, m.status(), m.rows(), recs.size(), m.shardBytes(), problems);
    }

    private static void strayShards(Path dir, Manifest m, String where, List<String> problems) {
        Set<String> recorded = new HashSet<>();
        m.shards().forEach(s -> recorded.add(s.file()));
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> EntryFiles.isShardName(f) && !recorded.contains(f))
                    .sorted()
                    .forEach(f -> problems.add(where + ": " + f + ": shard not recorded in " + ManifestFiles.FILE));
        } catch (IOException e) {
            problems.add(where + ": cannot list " + dir + " (" + e.getMessage() + ")");
        }
    }

    private static void checkIndex(Path dir, Manifest m, MappedShard[] mapped, String where, List<String> problems) {
        if (m.rows() == 0) return;
        String at = where + ": " + RowIndex.FILE;
        try (RowIndex index = RowIndex.open(dir.resolve(RowIndex.FILE), where)) {
            int wrong = 0;
            Set<String> seen = new HashSet<>();
            for (int s = 0; s < mapped.length; s++) {
                for (int r = 0; r < mapped[s].rows(); r++) {
                    String id = mapped[s].id(r);
                    if (!seen.add(id)) {
                        problems.add(where + ": " + m.shards().get(s).file() + ": id '" + id + "' appears twice");
                        continue;
                    }
                    OptionalLong got = index.get(id);
                    long want = RowIndex.pack(s, r);
                    if (got.isEmpty() || got.getAsLong() != want) {
                        if (wrong++ < MAX_INDEX_REPORTS) {
                            problems.add(at + ": id '" + id + "' " + (got.isEmpty() ? "is missing" : "points at shard " + RowIndex.shardOf(got.getAsLong())
                                    + " row " + RowIndex.rowOf(got.getAsLong())) + ", but " + m.shards().get(s).file() + " holds it at row " + r);
                        }
                    }
                }
            }
            if (wrong > MAX_INDEX_REPORTS) problems.add(at + ": " + (wrong - MAX_INDEX_REPORTS) + " more ids disagree with the shards");
            if (index.size() != seen.size()) problems.add(at + ": holds " + index.size() + " ids, the shards hold " + seen.size());
        } catch (BadInputException e) {
            problems.add(e.getMessage().startsWith(where + ": index") ? e.getMessage() : at + ": " + e.getMessage());
        }
    }

    /** The vector sidecar, when there is one: record, size, CRC-32C, Arrow structure, row count (a missing one is built on use). */
    private static void checkVectors(Path dir, Manifest m, String where, List<String> problems) {
        try {
            MappedVectors.open(dir, m, where);
        } catch (BadInputException e) {
            problems.add(e.getMessage());
        }
    }

    /** CRC-32C of a whole file, streamed. */
    public static String crc32c(Path file, LongConsumer bytesRead) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) break;
                buf.flip();
                crc.update(buf);
                if (bytesRead != null) bytesRead.accept(n);
            }
        }
        return String.format("%08x", crc.getValue());
    }
}
