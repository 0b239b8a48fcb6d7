package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the CLI in-process, as a user would from a shell, and captures what it printed.
 * {@link Result#assertOk()} and {@link Result#assertExit(int)} show both streams when the
 * exit status is not the expected one, so a failing test says why the command failed.
 */
public final class CliRunner {

    public record Result(int exitCode, String out, String err) {
        /** Exit 0, or an assertion error that shows stdout and stderr. */
        public Result assertOk() {
            return assertExit(0);
        }

        /** This exit status, or an assertion error that shows stdout and stderr. */
        public Result assertExit(int expected) {
            assertThat(exitCode).as(() -> "exit status; the command printed\n--- stdout ---\n" + out
                    + "--- stderr ---\n" + err + "--------------").isEqualTo(expected);
            return this;
        }
    }

    private CliRunner() {
    }

    public static Result run(String... args) {
        CommandLine commandLine = Main.commandLine(Main.preload(args), args); // as main() runs them
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
