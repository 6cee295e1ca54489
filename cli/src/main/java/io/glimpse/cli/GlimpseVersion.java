package io.glimpse.cli;

import picocli.CommandLine;

/** Version from the jar manifest (set by Maven), so --version never drifts from the build. */
final class GlimpseVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Glimpse.class.getPackage().getImplementationVersion();
        return new String[] {"glimpse " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
    }
}
