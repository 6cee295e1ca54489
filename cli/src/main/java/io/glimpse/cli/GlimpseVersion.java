package io.glimpse.cli;

import io.glimpse.train.run.BuildInfo;
import picocli.CommandLine;

/** Version and commit of the build (the same ones every result.json records), so --version never drifts from it. */
final class GlimpseVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.current();
        return new String[] {"glimpse " + build.version() + " (commit " + build.commit() + ")", "Java " + System.getProperty("java.version")};
    }
}
