package io.glimpse.spark;

import io.glimpse.cache.CacheStore;
import io.glimpse.extract.pipeline.DistributedEngine;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code glimpse extract --spark MASTER}: extraction on Apache Spark. {@code local[N]} (or {@code local[N,F]}, F
 * attempts per task) runs it in this JVM on N cores; a cluster master URL, or the master spark-submit configured,
 * runs the tasks on that cluster's executors.
 */
public final class SparkEngine implements DistributedEngine {
    public static final String NAME = "spark";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Session start(String master, CacheStore store) {
        SparkConf conf = new SparkConf().setAppName("glimpse extract");
        if (master != null && !master.isBlank()) conf.setMaster(master);
        else if (!conf.contains("spark.master")) throw new IllegalArgumentException("--spark: no master given and none configured (spark.master)");
        if (conf.get("spark.master").startsWith("local")) {
            // one machine: no web UI port, no network name lookups
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        JavaSparkContext context = new JavaSparkContext(conf);
        context.setLogLevel("WARN");
        return new SparkExtraction(context, store);
    }
}
