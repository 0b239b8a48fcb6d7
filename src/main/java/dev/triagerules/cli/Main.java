package dev.triagerules.cli;

import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import dev.triagerules.ledger.Ledger;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.AutoComplete;
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
     * The command line to run {@code args} with, as {@link #main} runs it: the whole tree;
     * for a plain triage (no subcommand named, no help asked for, arguments that parse) the
     * main command alone; for a command line that names one subcommand, parses and asks the
     * main command for no help, the main command with that subcommand alone. Each starts
     * faster and behaves the same: a usage error found while running a plain triage
     * completes the tree before printing the usage, which lists the commands.
     */
    public static CommandLine commandLine(String... args) {
        return commandLine(null, args);
    }

    /** As {@link #commandLine(String...)}, with the main command taking its pack from {@code preload} (or null). */
    static CommandLine commandLine(RulePack.Preload preload, String... args) {
        return commandLine(preload, namedSubcommands(args), args);
    }

    private static CommandLine commandLine(RulePack.Preload preload, List<Class<?>> named, String[] args) {
        CommandLine top = topCommand(preload);
        if (named.size() == 1 && named.get(0) != AutoComplete.GenerateCompletion.class && !hasArgumentFile(args)) {
            // Building the other subcommands cost ~70 ms of a ~0.5 s `ledger incidents`. Not for
            // generate-completion: the script it prints completes every command.
            withFileNames(top.addSubcommand(named.get(0)));
            return parsesWithoutTopLevelHelp(top, args) ? top : withSubcommands(topCommand(preload));
        }
        if (!named.isEmpty() || hasArgumentFile(args) || !parsesWithoutTopLevelHelp(top, args)) {
            return withSubcommands(top);
        }
        return top;
    }

    public static void main(String[] args) {
        // Every word the tool prints is English: its numbers too (an Arabic or Persian locale
        // printed the summary's counts in their digits), and no case mapping of the user's locale.
        Locale.setDefault(Locale.ROOT);
        List<Class<?>> named = namedSubcommands(args);
        if (named.contains(LedgerCommand.class)) {
            Ledger.loadSqliteInBackground(); // while picocli builds and parses the command line
        }
        CommandLine commandLine = commandLine(preload(args), named, args);
        // UTF-8 whatever the locale: CI logs and GitHub's workflow commands are UTF-8, and in
        // a container without a locale (POSIX) the JVM printed '?' for every non-ASCII letter.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(commandLine.execute(args));
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
        return topCommand(null);
    }

    private static CommandLine topCommand(RulePack.Preload preload) {
        TriageRulesCommand command = new TriageRulesCommand();
        command.preload = preload;
        CommandLine commandLine = new CommandLine(command)
                .setExecutionExceptionHandler(new ExecutionExceptionHandler())
                .setParameterExceptionHandler(new UsageErrorHandler());
        CommandLine.IExecutionStrategy strategy = OutOfMemory.guard(commandLine.getExecutionStrategy());
        return withFileNames(commandLine.setExecutionStrategy(parsed -> {
            refuseIgnoredTopOptions(parsed);
            return strategy.execute(parsed);
        }));
    }

    /** The main command's options a subcommand reads when it has none of its own (RulesOption, PolicyOption). */
    private static final Set<String> CARRIED_TO_SUBCOMMANDS = Set.of("--rules", "--policy");

    /**
     * A main-command option given before a subcommand's name belongs to the main command,
     * which does not run: {@code triage-rules --fail-on high explain ...} ignored it without a
     * word. Only {@code --rules} and {@code --policy} carry over to the subcommand.
     */
    private static void refuseIgnoredTopOptions(CommandLine.ParseResult parsed) {
        if (!parsed.hasSubcommand()) {
            return;
        }
        for (CommandLine.Model.OptionSpec option : parsed.matchedOptions()) {
            if (!CARRIED_TO_SUBCOMMANDS.contains(option.longestName()) && !option.usageHelp() && !option.versionHelp()) {
                String subcommand = parsed.subcommand().commandSpec().name();
                throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), option.longestName()
                        + " is an option of a triage run, and is not used by " + subcommand + "; give "
                        + subcommand + "'s own options after its name (only --rules and --policy carry over)");
            }
        }
    }

    private static CommandLine withSubcommands(CommandLine top) {
        if (top.getSubcommands().isEmpty()) {
            for (Class<?> subcommand : TriageRulesCommand.SUBCOMMANDS) {
                top.addSubcommand(subcommand);
            }
        }
        return withFileNames(top);
    }

    /**
     * Every {@code Path} option refuses an empty name ({@link FileName}). Again after adding
     * subcommands: picocli registers a converter only with the commands there at the time.
     */
    private static CommandLine withFileNames(CommandLine command) {
        return command.registerConverter(Path.class, new FileName.AsPath());
    }

    /**
     * The subcommands {@code args} name (picocli never takes a subcommand's name or alias as
     * an option's value, so an argument spelling one is that subcommand, or the parse
     * differs with the subcommands there).
     */
    private static List<Class<?>> namedSubcommands(String[] args) {
        List<Class<?>> named = new ArrayList<>();
        for (Class<?> subcommand : TriageRulesCommand.SUBCOMMANDS) {
            Command command = subcommand.getAnnotation(Command.class);
            for (String arg : args) {
                if (arg.equals(command.name()) || Arrays.asList(command.aliases()).contains(arg)) {
                    named.add(subcommand);
                    break;
                }
            }
        }
        return named;
    }

    /** An argument file: what it holds is not known before picocli reads it. */
    private static boolean hasArgumentFile(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.startsWith("@"));
    }

    /**
     * Whether {@code args} parse on {@code command} as it is, asking the main command for
     * neither usage nor version help: its help lists every subcommand, and a usage error
     * lists them or suggests one.
     */
    private static boolean parsesWithoutTopLevelHelp(CommandLine command, String[] args) {
        try {
            CommandLine.ParseResult parsed = command.parseArgs(args);
            return !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested();
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }
}
