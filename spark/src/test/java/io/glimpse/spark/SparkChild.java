package io.glimpse.spark;

import io.glimpse.cache.CacheStore;
import io.glimpse.extract.pipeline.DistributedEngine;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry point of the driver JVM that {@link SparkExtractionTest} kills mid-job: the test's request on local[2]. */
public final class SparkChild {
    private SparkChild() {
    }

    static List<String> command(Path cacheRoot, List<String> jvmArgs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "@" + SparkTestData.root().resolve("conf/jvm.options"), "-Dglimpse.root=" + SparkTestData.root()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path") + File.pathSeparator, SparkChild.class.getName(), cacheRoot.toString()));
        return cmd;
    }

    /** args: cache root. */
    public static void main(String[] args) {
        try (DistributedEngine.Session s = DistributedEngine.named("spark").orElseThrow().start("local[2]", CacheStore.open(Path.of(args[0])))) {
            s.ensure(SparkTestData.fashionMnist());
        }
    }
}
