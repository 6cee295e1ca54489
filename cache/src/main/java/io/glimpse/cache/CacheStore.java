package io.glimpse.cache;

import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.read.ReadMode;
import io.glimpse.cache.store.EntryLock;
import io.glimpse.cache.store.EntryVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The token cache root: one directory per entry, named by its {@link CacheKey}. Creates writers (one per entry,
 * OS-locked), opens readers, lists, verifies and removes entries. The root is created on the first write only.
 */
public final class CacheStore {
    public static final String ENV = "GLIMPSE_CACHE";

    private final Path root;
    private final ReadMode readMode;

    private CacheStore(Path root, ReadMode readMode) {
        this.root = root.toAbsolutePath().normalize();
        this.readMode = readMode;
    }

    public static CacheStore open(Path root) {
        if (Files.exists(root) && !Files.isDirectory(root)) throw new BadInputException("cache root " + root + " is not a directory");
        return new CacheStore(root, ReadMode.AUTO);
    }

    /** The same root, its readers opened in {@code mode} (AUTO: chosen per entry from its size and available memory). */
    public CacheStore withReadMode(ReadMode mode) {
        return new CacheStore(root, mode);
    }

    /** {@code $GLIMPSE_CACHE}, else {@code ~/.cache/glimpse}. */
    public static CacheStore fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static CacheStore fromEnvironment(Map<String, String> env) {
        String dir = env.get(ENV);
        if (dir != null && !dir.isBlank()) return open(Path.of(dir));
        return open(Path.of(System.getProperty("user.home"), ".cache", "glimpse"));
    }

    public Path root() {
        return root;
    }

    public Path entryDirectory(CacheKey key) {
        return root.resolve(key.hex());
    }

    public Optional<CacheEntryInfo> find(CacheKey key) {
        Path dir = entryDirectory(key);
        return Files.isDirectory(dir) ? Optional.of(info(key, dir)) : Optional.empty();
    }

    /** The entry whose key is or starts with {@code keyOrPrefix}; the error says none or which ones match. */
    public CacheEntryInfo resolve(String keyOrPrefix) {
        String p = keyOrPrefix == null ? "" : keyOrPrefix.trim().toLowerCase(java.util.Locale.ROOT);
        if (p.isEmpty() || !p.matches("[0-9a-f]+")) throw new BadInputException("'" + keyOrPrefix + "' is not a cache key or key prefix (hex digits)");
        List<CacheKey> hits = keys().stream().filter(k -> k.hex().startsWith(p)).toList();
        if (hits.isEmpty()) throw new BadInputException("no cache entry matches '" + keyOrPrefix + "' in " + root);
        if (hits.size() > 1) {
            throw new BadInputException("'" + keyOrPrefix + "' matches " + hits.size() + " cache entries (" + hits.stream().map(CacheKey::shortForm).limit(5).toList() + "); give more digits");
        }
        return info(hits.get(0), entryDirectory(hits.get(0)));
    }

    private List<CacheKey> keys() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .filter(CacheKey::isKey)
                    .sorted()
                    .map(CacheKey::new)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list cache root " + root + ": " + e.getMessage(), e);
        }
    }

    /** Every entry, by key. Broken entries are listed with their problem, not skipped. */
    public List<CacheEntryInfo> list() {
        List<CacheEntryInfo> out = new ArrayList<>();
        for (CacheKey k : keys()) {
            out.add(info(k, entryDirectory(k)));
        }
        return out;
    }

    private CacheEntryInfo info(CacheKey key, Path dir) {
        long bytes = directoryBytes(dir);
        OptionalLong writer = EntryLock.liveHolder(dir);
        try {
            Manifest m = new ManifestFiles().read(dir, key.shortForm());
            return new CacheEntryInfo(key, dir, m.status(), m, null, bytes, writer);
        } catch (BadInputException e) {
            return new CacheEntryInfo(key, dir, EntryStatus.BROKEN, null, e.getMessage(), bytes, writer);
        }
    }

    private static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Checks one entry, read-only; see {@link EntryVerifier}. */
    public VerifyReport verify(CacheKey key) {
        return verify(key, null);
    }

    public VerifyReport verify(CacheKey key, LongConsumer bytesChecked) {
        Path dir = entryDirectory(key);
        if (!Files.isDirectory(dir)) throw new BadInputException("no cache entry " + key.shortForm() + " in " + root);
        return EntryVerifier.verify(dir, key, bytesChecked);
    }

    /** A reader of a COMPLETE entry, in this store's read mode. */
    public TokenCache openReader(CacheKey key) {
        Path dir = entryDirectory(key);
        if (!Files.isDirectory(dir)) throw new BadInputException("no cache entry " + key.shortForm() + " in " + root);
        return TokenCache.open(dir, readMode);
    }

    /** A writer for the entry of {@code description}: new, or resuming a PARTIAL one. */
    public EntryWriter openWriter(CacheDescription description, TokenLayout layout, int rowsPerShard) {
        return openWriter(description, layout, new WriterOptions(rowsPerShard, WriterOptions.ONE_GIB, 0, 0));
    }

    public EntryWriter openWriter(CacheDescription description, TokenLayout layout, WriterOptions options) {
        return new EntryWriter(entryDirectory(description.key()), description, layout, options);
    }

    /**
     * Deletes an entry. Takes the entry's write lock first, so an entry being written cannot be removed; the
     * manifest goes first, so an interrupted removal leaves a BROKEN entry, never one that looks valid.
     */
    public void remove(CacheKey key) {
        Path dir = entryDirectory(key);
        if (!Files.isDirectory(dir)) throw new BadInputException("no cache entry " + key.shortForm() + " in " + root);
        try (EntryLock lock = EntryLock.acquire(dir, key.shortForm())) {
            Files.deleteIfExists(dir.resolve(ManifestFiles.FILE));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir) && !p.getFileName().toString().equals(EntryLock.FILE)) Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + key.shortForm() + ": removal failed: " + e.getMessage(), e);
        }
        try {
            Files.deleteIfExists(dir.resolve(EntryLock.FILE));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cache entry " + key.shortForm() + ": removal failed: " + e.getMessage(), e);
        }
    }
}
