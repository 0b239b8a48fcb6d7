package dev.triagerules.cli;

import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
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
        return commandLine(null, args);
    }

    /** As {@link #commandLine(String...)}, with the main command taking its pack from {@code preload} (or null). */
    static CommandLine commandLine(RulePack.Preload preload, String... args) {
        CommandLine top = topCommand();
        ((TriageRulesCommand) top.getCommand()).preload = preload;
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
        System.exit(commandLine(preload(args), args).execute(args));
    }

    /**
     * For what looks like a plain triage, its cached rule pack, loading on a second thread
     * while this one builds and parses the command line (picocli takes about 0.2 s of a
     * 0.7 s run, the pack as long again); null for anything else. The folders are read off
     * {@code args} here without picocli, so they are a guess: the command takes the pack
     * only when they are the ones it parsed ({@link RulePack#load(Path, Path, RuleCache,
     * RulePack.Preload)}), so a wrong guess costs the other core's time, never a result.
     */
    static RulePack.Preload preload(String[] args) {
        Path rules = null;
        Path policy = null;
        Path cacheDir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i == 0 && !arg.startsWith("-")) {
                    return null; // a subcommand
                }
                if (arg.startsWith("@") || NO_PRELOAD.contains(arg)) {
                    return null;
                }
                String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (!PRELOAD_FOLDERS.contains(name)) {
                    continue;
                }
                String value = name.length() < arg.length() ? arg.substring(name.length() + 1)
                        : i + 1 < args.length ? args[++i] : null;
                if (value == null) {
                    return null;
                }
                switch (name) {
                    case "--rules" -> rules = Path.of(value);
                    case "--policy" -> policy = Path.of(value);
                    default -> cacheDir = Path.of(value);
                }
            }
        } catch (InvalidPathException e) {
            return null;
        }
        return RulePack.Preload.start(rules != null ? rules : Home.defaultRules(),
                policy != null ? policy : Home.defaultPolicy(), cacheDir != null ? cacheDir : RuleCache.defaultDir(),
                RuleCache.defaultSigningKeyFile());
    }

    /** The options that name the pack's folders and its cache, as the main command has them. */
    private static final Set<String> PRELOAD_FOLDERS = Set.of("--rules", "--policy", "--cache-dir");
    /** Arguments after which the pack is not loaded from the cache, or not at all. */
    private static final Set<String> NO_PRELOAD = Set.of("--no-cache", "-h", "--help", "-V", "--version");

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
                if (arg.equals(command.name()) || Arrays.asList(command.aliases()).contains(arg)) {
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
