package io.glimpse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code glimpse} root command. Each stage registers its subcommands in {@link #commandLine()}.
 * Exit codes (docs/README.md#exit-codes): 0 ok, 1 failed run, 2 bad usage or bad input (one line on stderr).
 */
@Command(name = "glimpse", mixinStandardHelpOptions = true, versionProvider = GlimpseVersion.class,
        description = "Probe frozen vision backbones cheaply: extract tokens once, train many probe heads from the cache.")
public final class Glimpse implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line; tests call {@code commandLine().execute(args)} in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Glimpse());
        // Stage subcommands, registered by each stage:
        cl.addSubcommand(new io.glimpse.cli.train.TrainCommand());
        cl.addSubcommand(new io.glimpse.cli.cache.CacheCommand());
        cl.addSubcommand(new io.glimpse.cli.extract.ExtractCommand());
        cl.addSubcommand(new io.glimpse.cli.eval.EvalCommand());
        cl.addSubcommand(new io.glimpse.cli.eval.KnnCommand());
        cl.addSubcommand(new io.glimpse.cli.eval.AttentionCommand());
        return withExitCodes(cl);
    }

    /** The exit codes and one-line errors of every Glimpse command, for a command line built elsewhere (spark-submit's). */
    public static CommandLine withExitCodes(CommandLine cl) {
        cl.setExecutionExceptionHandler(Glimpse::handleFailure);
        cl.setParameterExceptionHandler(Glimpse::handleBadUsage);
        return cl;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (BadInput.is(e) || e instanceof IllegalArgumentException) {
            err.println("glimpse: " + e.getMessage());
            return 2;
        }
        err.println("glimpse: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("GLIMPSE_DEBUG") != null) e.printStackTrace(err);
        return 1;
    }

    private static int handleBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("glimpse: " + e.getMessage() + " (see: " + cl.getCommandSpec().qualifiedName() + " --help)");
        return 2;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
