package io.glimpse.cli.cache;

import io.glimpse.cache.CacheDescription;
import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.manifest.Manifest;
import io.glimpse.cache.manifest.ManifestFiles;
import io.glimpse.cache.manifest.ShardRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code glimpse cache info KEY}: everything the manifest records about one entry. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show one cache entry (KEY may be a unique prefix).")
final class CacheInfoCommand implements Runnable {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "Cache key or a unique prefix of it.")
    String key;

    @Option(names = "--json", description = "Print the manifest as JSON.")
    boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        CacheEntryInfo e = parent.store().resolve(key);
        if (e.manifestOrNull() == null) {
            out.println("key        " + e.key());
            out.println("directory  " + e.directory());
            out.println("status     broken: " + e.problem());
            out.flush();
            return;
        }
        Manifest m = e.manifestOrNull();
        if (json) {
            out.println(new ManifestFiles().toJson(m));
            out.flush();
            return;
        }
        CacheDescription d = m.description();
        out.println("key            " + e.key());
        out.println("directory      " + e.directory());
        out.println("status         " + CacheLsCommand.status(e));
        if (d.fromGenerator()) out.println("synthetic      " + d.synthetic());
        out.println("backbone       " + d.backboneName() + " (sha256 " + d.backboneSha256() + ")");
        out.println("layers         " + String.join(", ", d.layers()) + "  (default " + d.defaultLayer() + ")");
        out.println("preprocessing  " + d.preprocessing());
        out.println("dataset        " + d.datasetName() + " (fingerprint " + d.datasetFingerprint() + "), split " + d.split()
                + (d.limit() > 0 ? ", limit " + d.limit() : ""));
        out.println("views          " + d.views() + (d.views() > 1 ? " " + d.augmentation() : ""));
        out.println("tokens         T=" + m.layout().tokens() + " (" + m.layout().prefixTokens() + " prefix + " + m.layout().patches() + " patches"
                + (m.layout().hasGrid() ? ", grid " + m.layout().gridH() + "x" + m.layout().gridW() : "") + "), D=" + m.layout().dim() + ", " + d.dtype().label()
                + (d.dtype().scaled() ? " (symmetric, one float32 scale per token: value = q x scale)" : "") + ", " + d.dtype().rowBytes(m.layout()) + " bytes per row and layer");
        out.println("rows           " + m.rows() + " in " + m.shards().size() + " shard(s) of up to " + m.rowsPerShard() + " rows, " + Sizes.human(e.bytesOnDisk()) + " on disk");
        for (ShardRecord s : m.shards()) {
            out.println("  " + s.file() + "  " + s.rows() + " rows  " + Sizes.human(s.bytes()) + "  crc32c " + s.crc32c());
        }
        if (!m.extractionStats().isEmpty()) out.println("extraction     " + new java.util.TreeMap<>(m.extractionStats()));
        if (!m.skippedIds().isEmpty()) {
            out.println("skipped        " + m.skippedIds().size() + " id(s): " + String.join(", ", m.skippedIds().subList(0, Math.min(5, m.skippedIds().size())))
                    + (m.skippedIds().size() > 5 ? ", ..." : ""));
        }
        out.println("created        " + m.created() + ", updated " + m.updated());
        out.flush();
    }
}
