package io.glimpse.cli.cache;

import io.glimpse.cache.CacheEntryInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code glimpse cache rm KEY}: deletes one entry (refused while a writer holds it). */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a cache entry (KEY may be a unique prefix).")
final class CacheRmCommand implements Runnable {
    @CommandLine.ParentCommand
    CacheCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "Cache key or a unique prefix of it.")
    String key;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        CacheEntryInfo e = parent.store().resolve(key);
        parent.store().remove(e.key());
        out.println("removed " + e.key() + " (" + Sizes.human(e.bytesOnDisk()) + ")");
        out.flush();
    }
}
