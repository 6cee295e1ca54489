package io.glimpse.train.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The build this code came from: the Maven project version and the 40-hex git commit, from {@code build.properties}
 * that Maven filters at build time (the commit through git-commit-id-maven-plugin). A build outside a git checkout
 * (a source tarball) leaves the placeholder there, and the commit reads {@code unknown}.
 */
public record BuildInfo(String version, String commit) {
    public static final String UNKNOWN = "unknown";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build properties", e);
        }
        return of(p.getProperty("version"), p.getProperty("commit"));
    }

    /** Placeholders left unfiltered (and anything else that is not a version or a commit) read as {@code unknown}. */
    static BuildInfo of(String version, String commit) {
        String v = version == null || version.isBlank() || version.contains("${") ? UNKNOWN : version.trim();
        String c = commit != null && COMMIT.matcher(commit.trim()).matches() ? commit.trim() : UNKNOWN;
        return new BuildInfo(v, c);
    }
}
