package io.glimpse.spark;

import io.glimpse.cli.Glimpse;
import io.glimpse.cli.extract.ExtractCommand;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster jar's entry point: {@code spark-submit --class io.glimpse.spark.SparkSubmitMain glimpse-spark.jar
 * extract ...} takes the options of {@code glimpse extract}; {@code --spark} defaults to the master spark-submit
 * configured.
 */
public final class SparkSubmitMain {
    private SparkSubmitMain() {
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        boolean hasMaster = all.stream().anyMatch(a -> a.equals("--spark") || a.startsWith("--spark="));
        String master = System.getProperty("spark.master");
        if (!hasMaster && master != null && !all.isEmpty() && all.get(0).equals("extract")) {
            all.add("--spark");
            all.add(master);
        }
        CommandLine cl = Glimpse.withExitCodes(new CommandLine(new Glimpse()).addSubcommand(new ExtractCommand()));
        System.exit(cl.execute(all.toArray(String[]::new)));
    }
}
