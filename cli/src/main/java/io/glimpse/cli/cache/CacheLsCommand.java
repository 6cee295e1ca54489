package io.glimpse.cli.cache;

import io.glimpse.cache.CacheEntryInfo;
import io.glimpse.cache.manifest.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code glimpse cache ls}: one line per entry. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List cache entries: key, backbone ('synthetic' for generated ones), dataset, split, rows, TxD, dtype, size, status.")
final class CacheLsCommand implements Runnable {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<CacheEntryInfo> entries = parent.store().list();
        if (entries.isEmpty()) {
            out.println("no cache entries in " + parent.store().root());
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "BACKBONE", "DATASET", "SPLIT", "ROWS", "TxD", "DTYPE", "SIZE", "STATUS"});
        for (CacheEntryInfo e : entries) {
            Manifest m = e.manifestOrNull();
            String status = status(e);
            if (m == null) {
                rows.add(new String[] {e.key().shortForm(), "?", "?", "?", "?", "?", "?", Sizes.human(e.bytesOnDisk()), status});
            } else {
                var d = m.description();
                String split = d.split() + (d.limit() > 0 ? " (limit " + d.limit() + ")" : "") + (d.views() > 1 ? " x" + d.views() + " views" : "");
                String backbone = d.fromGenerator() ? "synthetic" : d.backboneName();
                String dataset = d.fromGenerator() ? "synthetic (" + d.synthetic().get("classes") + " classes, seed " + d.synthetic().get("seed") + ")" : d.datasetName();
                rows.add(new String[] {e.key().shortForm(), backbone, dataset, split, Long.toString(m.rows()),
                        m.layout().tokens() + "x" + m.layout().dim(), d.dtype().label(), Sizes.human(e.bytesOnDisk()), status});
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    static String status(CacheEntryInfo e) {
        String s = e.status().label();
        if (e.writerPid().isPresent()) s += " (writer pid " + e.writerPid().getAsLong() + ")";
        return s;
    }
}
