package io.glimpse.cli.testing;

import io.glimpse.cli.Glimpse;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One in-process {@code glimpse} invocation as the tests see it: exit code, standard output, error output. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... args) {
        CommandLine cl = Glimpse.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Both streams, for failure messages. */
    public String all() {
        return out + err;
    }

    /** Asserts exit code 0, showing everything the command printed otherwise. */
    public CliRun assertOk() {
        assertEquals(0, code, all());
        return this;
    }

    /** Asserts the bad-input contract: exit code 2 and one error line that contains each of {@code mustContain}. */
    public void assertRefused(String... mustContain) {
        assertEquals(2, code, all());
        String line = err.strip();
        assertEquals(1, line.lines().count(), line);
        for (String s : mustContain) assertTrue(line.contains(s), "expected '" + s + "' in: " + line);
    }
}
