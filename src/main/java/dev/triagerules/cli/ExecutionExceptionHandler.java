package dev.triagerules.cli;

import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.nio.file.InvalidPathException;
import picocli.CommandLine;

/**
 * What a command's exception becomes: a {@link UserError} (bad input, rules, policy,
 * paths) prints its message, complete and meant for the terminal, with any control or
 * bidirectional character in it escaped ({@link VisibleText#message}); running out of memory
 * says how to give the JVM more ({@link OutOfMemory}); anything else is a bug of ours,
 * printed with its stack trace. All exit 1.
 */
final class ExecutionExceptionHandler implements CommandLine.IExecutionExceptionHandler {
    static final int EXIT_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        OutOfMemoryError outOfMemory = OutOfMemory.in(e);
        if (outOfMemory != null) { // from a worker thread, or wrapped by a library
            commandLine.getErr().println(OutOfMemory.message(outOfMemory));
            return EXIT_ERROR;
        }
        if (e instanceof UserError) {
            commandLine.getErr().println(VisibleText.message(e.getMessage()));
            return EXIT_ERROR;
        }
        if (e instanceof InvalidPathException invalid) {
            // A name the JVM cannot encode: a non-ASCII one under a locale without UTF-8 (the
            // launcher sets one; `java -jar` in a bare container does not).
            commandLine.getErr().println("triage-rules: " + VisibleText.inMessage(invalid.getInput())
                    + ": cannot be a file name here: " + invalid.getReason() + " (file names are read in the"
                    + " locale's character set, " + System.getProperty("sun.jnu.encoding")
                    + "; run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8)");
            return EXIT_ERROR;
        }
        commandLine.getErr().println("triage-rules: internal error: " + e);
        e.printStackTrace(commandLine.getErr());
        return EXIT_ERROR;
    }
}
