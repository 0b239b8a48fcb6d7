package dev.triagerules.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point of {@code triage-rules}: the command line, run, and its exit status. */
public final class Main {
    private Main() {
    }

    /** The whole command tree, with the exception handler. */
    public static CommandLine commandLine() {
        return withSubcommands(topCommand());
    }

    /**
     * The command line to run {@code args} with, as {@link #main} runs it: the whole tree,
     * or for a plain triage (no subcommand named, no help asked for, arguments that parse)
     * the main command alone, which starts faster. It behaves the same: a usage error found
     * while running completes the tree before printing the usage, which lists the commands.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine top = topCommand();
        if (needsSubcommands(top, args)) {
            return withSubcommands(top);
        }
        return top.setParameterExceptionHandler(new UsageWithSubcommands(top.getParameterExceptionHandler()));
    }

    /**
     * Adds the subcommands before picocli prints an error's usage. A class, not a lambda:
     * picocli's interfaces are of an old class-file version, which the class-data archive
     * cannot hold once a lambda has linked it ("Old class has been linked"), and every run
     * then loaded it from the jar.
     */
    private static final class UsageWithSubcommands implements CommandLine.IParameterExceptionHandler {
        private final CommandLine.IParameterExceptionHandler usage;

        UsageWithSubcommands(CommandLine.IParameterExceptionHandler usage) {
            this.usage = usage;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) throws Exception {
            withSubcommands(e.getCommandLine());
            return usage.handleParseException(e, args);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    private static CommandLine topCommand() {
        CommandLine commandLine = new CommandLine(new TriageRulesCommand())
                .setExecutionExceptionHandler(new ExecutionExceptionHandler());
        return commandLine.setExecutionStrategy(OutOfMemory.guard(commandLine.getExecutionStrategy()));
    }

    private static CommandLine withSubcommands(CommandLine top) {
        if (top.getSubcommands().isEmpty()) {
            for (Class<?> subcommand : TriageRulesCommand.SUBCOMMANDS) {
                top.addSubcommand(subcommand);
            }
        }
        return top;
    }

    /**
     * Whether parsing {@code args} could differ with the subcommands there: one is named
     * (picocli then never takes it as an option's value), help is asked for (it lists them),
     * the arguments do not parse (the error's usage lists them, or suggests one), or an
     * argument file may hold any of these.
     */
    private static boolean needsSubcommands(CommandLine top, String[] args) {
        for (String arg : args) {
            if (arg.startsWith("@")) {
                return true; // an argument file: what it holds is not known before picocli reads it
            }
        }
        for (Class<?> subcommand : TriageRulesCommand.SUBCOMMANDS) {
            Command command = subcommand.getAnnotation(Command.class);
            for (String arg : args) {
                if (arg.equals(command.name()) || java.util.Arrays.asList(command.aliases()).contains(arg)) {
                    return true;
                }
            }
        }
        try {
            CommandLine.ParseResult parsed = top.parseArgs(args);
            return parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
        } catch (CommandLine.ParameterException e) {
            return true;
        }
    }
}
