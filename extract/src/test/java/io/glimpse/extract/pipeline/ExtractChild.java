package io.glimpse.extract.pipeline;

import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenDtype;
import io.glimpse.extract.RepoFiles;
import io.glimpse.extract.TestData;
import io.glimpse.extract.backbone.BackboneConfigLoader;
import io.glimpse.extract.backbone.BackboneOptions;
import io.glimpse.extract.backbone.DeviceChoice;
import io.glimpse.extract.dataset.DatasetConfigLoader;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry point of the child JVM that {@link ResumeAfterKillTest} kills: extracts the train split of a dataset. */
public final class ExtractChild {
    private ExtractChild() {
    }

    static ExtractRequest request(Path datasetYaml) {
        return ExtractRequest.of(BackboneConfigLoader.load(TestData.backboneYaml().toString()), DatasetConfigLoader.load(datasetYaml.toString()),
                        "train", new BackboneOptions(1, DeviceChoice.CPU, null))
                .withDtype(TokenDtype.FLOAT32).withLayers(List.of("hidden_state_4", "hidden_state_2"))
                .withBatch(16, 1).withRowsPerShard(40); // 40 is not a multiple of 16: resumes start mid-batch
    }

    /**
     * The command line of a child JVM running {@link #main}: the tests' own classpath (plus {@code extraClasspath}
     * when not null), the project's JVM flags, and {@code jvmArgs} before the main class.
     */
    public static List<String> command(Path datasetYaml, Path cacheRoot, List<String> jvmArgs, String extraClasspath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + (extraClasspath == null ? "" : File.pathSeparator + extraClasspath);
        List<String> cmd = new ArrayList<>(List.of(java, "@" + RepoFiles.root().resolve("conf/jvm.options"),
                "-Dglimpse.root=" + RepoFiles.root()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", cp, ExtractChild.class.getName(), datasetYaml.toString(), cacheRoot.toString()));
        return cmd;
    }

    /** args: dataset yaml, cache root. */
    public static void main(String[] args) {
        new Extractor(CacheStore.open(Path.of(args[1]))).ensure(request(Path.of(args[0])));
    }
}
