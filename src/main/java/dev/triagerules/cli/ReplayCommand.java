package dev.triagerules.cli;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.ExitStatus;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.policy.DurationText;
import dev.triagerules.policy.ReplayPolicy;
import dev.triagerules.replay.BoundedOutput;
import dev.triagerules.replay.CommandGuard;
import dev.triagerules.replay.CommandWords;
import dev.triagerules.replay.IncidentReplay;
import dev.triagerules.replay.ReplayEnvironment;
import dev.triagerules.replay.ProcessTreeRunner;
import dev.triagerules.replay.ReplaySummary;
import dev.triagerules.replay.Replayer;
import dev.triagerules.replay.TranscriptStore;
import dev.triagerules.replay.Verdict;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code triage-rules replay}: run incidents' replay commands and record what they show. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Runs incidents' replay commands with a timeout; keeps transcripts and a verdict each.",
        description = {
            "Replays the incidents of a triage report: runs each replay_command",
            "(in --workdir) with the incident's seed and ids in TRIAGE_* variables,",
            "keeps a transcript of every attempt and gives each incident a verdict:",
            "reproduced (non-zero exit in at least half the attempts), not_reproduced",
            "(all passed), flaky (fewer failed), hung (timed out: its whole process",
            "tree was ended, and it is not retried), not_runnable (its program was",
            "not found or not executable: exit 127 or 126; not retried, and never",
            "reproduced) or refused (not run).",
            "",
            "A report is untrusted input: a command runs only if it matches one of",
            "the policy's replay.allow patterns, as plain words without a shell, and",
            "sees only the variables replay.env names. Anything else is refused.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules replay --report triage.json --severity critical \\",
            "      --attempts 3 --timeout 30s",
            "  triage-rules replay --report triage.json --workdir ~/frankentorch \\",
            "      --incident triage64:269b823b00845adb",
            "  triage-rules replay --report triage.json --class oracle_infra --jobs 4",
            "  triage-rules replay --report triage.json --dry-run",
            "",
            "Each attempt sees TRIAGE_SEED, TRIAGE_INCIDENT_ID, TRIAGE_PACKET_ID,",
            "TRIAGE_SUITE_ID, TRIAGE_SCENARIO_ID, TRIAGE_MODE, TRIAGE_ENV_FINGERPRINT",
            "and TRIAGE_ATTEMPT (1-based).",
            "",
            "Exit codes: 0 replayed (whatever the verdicts: see `triage-rules gate`),",
            "1 bad report, policy or folders (or another replay uses --transcripts),",
            "2 bad usage, 130 interrupted (the summary still lists what finished).",
        })
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--report", required = true, paramLabel = "REPORT",
            description = "The ft-crash-triage-v1 JSON report (triage-rules --output).")
    Path report;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Selection selection;

    /** Which incidents to replay; all of them when none is given. */
    static final class Selection {
        @Option(names = "--incident", paramLabel = "ID", arity = "1..*", required = true,
                description = "Replay these incidents (repeatable).")
        List<String> incidents;

        @Option(names = "--severity", paramLabel = "SEVERITY", required = true,
                description = "Replay the incidents of this severity, e.g. critical.")
        String severity;

        @Option(names = "--class", paramLabel = "CLASS", required = true,
                description = "Replay the incidents of this crash class.")
        String crashClass;
    }

    @Option(names = "--attempts", paramLabel = "N",
            description = "Attempts per incident, 1 to 1000 (default: policy replay.attempts, else 3).")
    Integer attempts;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Time one attempt may take, e.g. 90s, 10m (default: policy replay.default_timeout"
                    + " and replay.class_timeouts, else 10m).")
    String timeout;

    @Option(names = "--workdir", paramLabel = "DIR", defaultValue = ".",
            description = "Where the commands run (default: the current folder).")
    Path workdir;

    @Option(names = "--transcripts", paramLabel = "DIR", defaultValue = "replay-transcripts",
            description = "Folder for <incident>/attempt-<n>.json transcripts and <incident>/replay.json"
                    + " verdicts (default: ${DEFAULT-VALUE}).")
    Path transcripts;

    @Option(names = "--summary", paramLabel = "FILE",
            description = "Where the replay summary JSON goes (default: <transcripts>/replay-summary.json).")
    Path summary;

    @Option(names = "--jobs", paramLabel = "K", defaultValue = "1",
            description = "Incidents replayed in parallel (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2s",
            description = "Time between TERM and KILL when a tree is ended (default: ${DEFAULT-VALUE}).")
    String grace;

    @CommandLine.Mixin
    PolicyOption policy;

    @CommandLine.Mixin
    QuietOption quiet;

    @CommandLine.ParentCommand
    TriageRulesCommand parent;

    @Option(names = "--dry-run",
            description = "Print what would run (command, workdir, attempts, timeout) and what would be refused"
                    + " and why; run nothing, write nothing.")
    boolean dryRun;

    @Option(names = "--allow-any-command",
            description = "Run every replay_command as shell code (sh -c), allowed by policy or not, with"
                    + " your rights. Only for reports you trust: a log line can then run anything.")
    boolean allowAnyCommand;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Duration timeoutOverride = duration("--timeout", timeout);
        Duration graceTime = duration("--grace", grace);
        if (attempts != null && attempts < 1) {
            throw usage("--attempts must be at least 1, got " + attempts);
        }
        if (attempts != null && attempts > ReplayPolicy.MAX_ATTEMPTS) {
            throw usage("--attempts must be at most " + ReplayPolicy.MAX_ATTEMPTS + ", got " + attempts);
        }
        if (jobs < 1) {
            throw usage("--jobs must be at least 1, got " + jobs);
        }
        TranscriptStore store = new TranscriptStore(transcripts);
        Path summaryFile = summary != null ? summary : store.defaultSummary();
        DistinctFiles files = new DistinctFiles().read("--report", report);
        String summaryOption = summary != null ? "--summary" : "--summary (default)";
        // A dry run writes nothing, so it may look at a folder it could not write.
        (dryRun ? files.alsoWrites(summaryOption, summaryFile) : files.write(summaryOption, summaryFile))
                .collision().ifPresent(message -> {
                    throw usage(message);
                });
        ReplayPolicy replayPolicy = policy.load(parent).replay();
        List<ReportedIncident> incidents = select();
        if (!Files.isDirectory(workdir)) {
            throw new UserError(workdir + ": --workdir is not a folder");
        }
        int attemptCount = attempts != null ? attempts : replayPolicy.attempts();
        PrintWriter err = spec.commandLine().getErr();
        if (allowAnyCommand) {
            // Every run, quiet or not: this is the one switch that lets a log line run anything.
            err.println("replay: WARNING: --allow-any-command: every replay_command of " + report
                    + " runs as shell code (sh -c) with your rights, whatever policy replay.allow says;"
                    + " use it only on reports you trust");
            err.flush();
        }
        CommandGuard guard = CommandGuard.of(replayPolicy, allowAnyCommand);
        Map<String, String> inheritedEnv = ReplayEnvironment.inherited(replayPolicy.env(), System.getenv());
        Function<String, Duration> timeoutFor =
                crashClass -> timeoutOverride != null ? timeoutOverride : replayPolicy.timeoutFor(crashClass);
        Path where = workdir.toAbsolutePath().normalize();
        if (dryRun) {
            return dryRun(incidents, guard, inheritedEnv, timeoutFor, attemptCount, where);
        }
        try (TranscriptStore.Lock lock = store.lock()) {
            return replay(incidents, store, summaryFile, guard, inheritedEnv, timeoutFor, attemptCount, where,
                    graceTime, err);
        }
    }

    private int replay(List<ReportedIncident> incidents, TranscriptStore store, Path summaryFile, CommandGuard guard,
            Map<String, String> inheritedEnv, Function<String, Duration> timeoutFor, int attemptCount, Path where,
            Duration graceTime, PrintWriter err) {
        AtomicInteger done = new AtomicInteger();
        ProcessTreeRunner runner = new ProcessTreeRunner(graceTime, BoundedOutput.DEFAULT_HEAD,
                BoundedOutput.DEFAULT_TAIL);
        Replayer replayer = new Replayer(
                new Replayer.Settings(where, store, attemptCount, timeoutFor, jobs, guard, inheritedEnv), runner,
                replay -> {
                    if (!quiet.quiet) {
                        err.println(progressLine(replay, done.incrementAndGet(), incidents.size()));
                        err.flush();
                    }
                });

        // Ctrl-C: end every running tree and still write what finished. Only one of the hook
        // and the normal path writes the summary.
        AtomicBoolean summaryWritten = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            replayer.abort();
            if (summaryWritten.compareAndSet(false, true)) {
                ReplaySummary partial = replayer.summary(report.toString());
                partial.write(summaryFile);
                err.println("replay: interrupted; " + partial.finished().size() + " of " + incidents.size()
                        + " incident(s) finished -> " + summaryFile);
                err.flush();
            }
        }, "replay-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        ReplaySummary result;
        try {
            if (!quiet.quiet) {
                err.printf("replay: %d incident(s), %d attempt(s) each, %d at a time, in %s%n", incidents.size(),
                        attemptCount, jobs, workdir.toAbsolutePath().normalize());
                err.flush();
            }
            result = replayer.run(incidents, report.toString());
        } finally {
            runner.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook writes the summary.
            }
        }
        if (!summaryWritten.compareAndSet(false, true)) {
            return 130;
        }
        result.write(summaryFile);
        result.skipped().forEach(skip -> err.println("replay: skipped " + VisibleText.of(skip.incident().label())
                + ": " + skip.reason()));
        List<IncidentReplay> refused = result.refused();
        if (!refused.isEmpty()) {
            // Listed even with --quiet: these incidents were not replayed at all.
            // Commands in ASCII only: a look-alike that got one refused (a fullwidth ';') shows as its escape.
            err.println("replay: refused " + refused.size() + " command(s) the policy does not allow (not run):");
            refused.forEach(replay -> err.println("  " + VisibleText.of(replay.incident().incidentId()) + ": "
                    + replay.refusal() + "\n    " + VisibleText.ascii(replay.incident().replayCommand())));
        }
        err.println("replay: " + countsLine(result) + " -> " + summaryFile);
        err.flush();
        return 0;
    }

    /** --dry-run: what would run, be refused or skipped, on stdout; nothing runs, nothing is written. */
    private int dryRun(List<ReportedIncident> incidents, CommandGuard guard, Map<String, String> inheritedEnv,
            Function<String, Duration> timeoutFor, int attemptCount, Path where) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("replay --dry-run: " + incidents.size() + " incident(s) of " + report + ", in " + where
                + "; nothing is run or written");
        out.println("environment: " + (inheritedEnv.isEmpty() ? "" : String.join(" ", inheritedEnv.keySet())
                + " (inherited, policy replay.env) and ") + "TRIAGE_* (set by replay)");
        int run = 0;
        int refused = 0;
        int skipped = 0;
        for (ReportedIncident incident : incidents) {
            String label = VisibleText.of(incident.label());
            String skip = Replayer.skipReason(incident);
            if (skip != null) {
                skipped++;
                out.println("skip    " + label + ": " + skip);
                continue;
            }
            CommandGuard.Decision decision = guard.check(incident.replayCommand());
            if (decision.allowed()) {
                run++;
                out.println("run     " + label + ": " + attemptCount + " attempt(s), timeout "
                        + DurationText.format(timeoutFor.apply(incident.crashClass())) + "\n        "
                        + CommandWords.display(decision.argv()));
            } else {
                refused++;
                out.println("refuse  " + label + ": " + decision.refusal() + "\n        "
                        + VisibleText.ascii(incident.replayCommand()));
            }
        }
        out.println("dry run: would run " + run + ", refuse " + refused + ", skip " + skipped);
        out.flush();
        return 0;
    }

    /**
     * Incidents in report order, narrowed by --incident, --severity or --class as the report is read: only
     * those are kept (a report too big to keep whole may still be replayed in part).
     */
    private List<ReportedIncident> select() {
        if (selection == null) {
            return ReportFile.read(report).incidents();
        }
        if (selection.incidents != null) {
            Set<String> wanted = new LinkedHashSet<>(selection.incidents);
            List<ReportedIncident> kept = ReportFile.read(report, i -> wanted.contains(i.incidentId())).incidents();
            Set<String> known = kept.stream().map(ReportedIncident::incidentId).collect(Collectors.toSet());
            List<String> unknown = wanted.stream().filter(id -> !known.contains(id)).toList();
            if (!unknown.isEmpty()) {
                throw new UserError(report + ": no incident " + String.join(", ", unknown) + " in this report");
            }
            return kept;
        }
        if (selection.severity != null) {
            return ReportFile.read(report, i -> selection.severity.equals(i.severity())).incidents();
        }
        return ReportFile.read(report, i -> selection.crashClass.equals(i.crashClass())).incidents();
    }

    private Duration duration(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String progressLine(IncidentReplay replay, int done, int total) {
        ReportedIncident incident = replay.incident();
        long timedOut = replay.attempts().stream().filter(a -> a.result().timedOut()).count();
        String detail = timedOut > 0 ? "timed out on attempt " + replay.attempts().size()
                : replay.failedAttempts() + " of " + replay.attempts().size() + " attempt(s) failed";
        if (replay.verdict() == Verdict.REFUSED) {
            detail = "not run: " + replay.refusal();
        }
        if (replay.verdict() == Verdict.NOT_RUNNABLE) {
            int exit = replay.attempts().get(replay.attempts().size() - 1).result().exitCode();
            detail = "could not start the program: exit " + exit + ", " + ExitStatus.meaning(exit) + ", on attempt "
                    + replay.attempts().size() + "; see its transcript";
        }
        return String.format("replay: [%d/%d] %s  %s  (%s; %s, %s)", done, total,
                VisibleText.of(incident.incidentId()), replay.verdict().label(), detail,
                VisibleText.of(incident.crashClass()), VisibleText.of(incident.severity()));
    }

    private static String countsLine(ReplaySummary summary) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<Verdict, Long> count : summary.counts().entrySet()) {
            line.append(line.length() == 0 ? "" : ", ").append(count.getValue()).append(' ')
                    .append(count.getKey().label());
        }
        if (!summary.skipped().isEmpty()) {
            line.append(", ").append(summary.skipped().size()).append(" skipped");
        }
        return line.toString();
    }
}
