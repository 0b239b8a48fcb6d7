package dev.triagerules.cli;

import picocli.CommandLine;

/** The entry point of {@code triage-rules}: the command line, run, and its exit status. */
public final class Main {
    private Main() {
    }

    /** The whole command tree, with the exception handler; what tests run in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TriageRulesCommand())
                .setExecutionExceptionHandler(new ExecutionExceptionHandler());
        return commandLine.setExecutionStrategy(OutOfMemory.guard(commandLine.getExecutionStrategy()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
