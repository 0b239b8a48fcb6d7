package dev.triagerules.cli;

import dev.triagerules.base.VisibleText;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What a command line that does not parse prints: the problem, picocli's suggestions for
 * a misspelt option or command, and where the help is; exit 2. Not the whole help (90
 * lines for the main command), which buried the one line that said what was wrong. The
 * problem may quote arguments and file names, so it is escaped on its way to the terminal
 * ({@link VisibleText#message}), as every other error is.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    static final int EXIT_USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(VisibleText.message(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return EXIT_USAGE;
    }
}
