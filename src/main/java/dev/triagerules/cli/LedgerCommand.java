package dev.triagerules.cli;

import dev.triagerules.base.SourceDateEpoch;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.ledger.LifecycleStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage-rules ledger ...}: what the incident ledger remembers across runs. */
@Command(name = "ledger",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        subcommands = {LedgerCommand.Incidents.class, LedgerCommand.Show.class, LedgerCommand.Runs.class,
            LedgerCommand.Run.class, LedgerCommand.Prune.class, LedgerCommand.Migrate.class},
        description = {
            "Queries the incident ledger that triage runs record into (--ledger on the main command).",
            "A location is a SQLite file path or a jdbc:postgresql: URL; without --ledger the",
            "TRIAGE_RULES_LEDGER environment variable is read. Passwords in URLs are never printed.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules ledger incidents --ledger triage-ledger.db --status new",
            "  triage-rules ledger show triage64:1f559ee9a1c84e8f --ledger triage-ledger.db",
            "  triage-rules ledger runs --json",
            "  triage-rules ledger run latest",
            "  triage-rules ledger prune --keep-runs 500",
            "  triage-rules ledger migrate \\",
            "      --ledger 'jdbc:postgresql://db/ci?user=triage_admin'",
            "",
            "Exit codes: 0 done, 1 ledger unreachable, unknown incident or run, 2 bad usage.",
        })
public final class LedgerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: incidents, show, runs, run, prune or migrate");
    }

    /**
     * A read-only query: open the ledger, ask it one thing, close it, then print the answer as
     * text or, with {@code --json}, as JSON. Printing happens after the ledger is closed, so a
     * slow terminal never holds a database connection.
     */
    abstract static class Query<T> implements Callable<Integer> {
        @CommandLine.Mixin
        LedgerOption ledger = new LedgerOption();

        @Option(names = "--json", description = "JSON instead of text.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Checks the options before the ledger is opened; a usage error throws. */
        void validate() {
        }

        abstract T query(Ledger ledger);

        abstract void printText(T answer, PrintWriter out);

        abstract void printJson(T answer, PrintWriter out);

        @Override
        public Integer call() {
            validate();
            T answer;
            try (Ledger opened = Ledger.openToRead(ledger.required())) {
                answer = query(opened);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                printJson(answer, out);
            } else {
                printText(answer, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "incidents", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Lists the incidents the ledger knows, latest seen first.")
    static final class Incidents extends Query<List<LedgerView.Incident>> {
        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Only incidents with this status: new, recurring, regressed or resolved. Several:"
                        + " comma-separated, or the option again.")
        List<String> statuses = List.of();

        @Option(names = "--open", description = "Only open incidents: not resolved.")
        boolean open;

        @Option(names = "--class", paramLabel = "CLASS", description = "Only incidents of this crash class.")
        String crashClass;

        @Option(names = "--severity", paramLabel = "SEVERITY", description = "Only incidents of this severity.")
        String severity;

        @Option(names = "--owner", paramLabel = "OWNER", description = "Only incidents of this owner hint.")
        String owner;

        @Override
        void validate() {
            for (String status : statuses) {
                if (!LifecycleStatus.known(status)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--status: unknown status '"
                            + status + "'; one of " + String.join(", ", LifecycleStatus.ALL));
                }
                if (open && !LifecycleStatus.open(status)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--open and --status " + status
                            + ": a " + status + " incident is not open");
                }
            }
        }

        @Override
        List<LedgerView.Incident> query(Ledger ledger) {
            return ledger.incidents(new LedgerView.IncidentFilter(statuses, open, crashClass, severity, owner));
        }

        @Override
        void printText(List<LedgerView.Incident> incidents, PrintWriter out) {
            LedgerPrinter.incidentsTable(incidents, out);
        }

        @Override
        void printJson(List<LedgerView.Incident> incidents, PrintWriter out) {
            LedgerPrinter.incidentsJson(incidents, out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "The timeline of one incident: per recorded run, seen or not, its failures, its"
                    + " scenario's passes and failures, status changes and replays.")
    static final class Show extends Query<LedgerView.Timeline> {
        @Parameters(paramLabel = "INCIDENT_ID", description = "e.g. triage64:1f559ee9a1c84e8f")
        String incidentId;

        @Override
        LedgerView.Timeline query(Ledger ledger) {
            LedgerView.Timeline timeline = ledger.timeline(incidentId);
            if (timeline == null) {
                throw new UserError("no incident " + VisibleText.of(incidentId) + " in the ledger");
            }
            return timeline;
        }

        @Override
        void printText(LedgerView.Timeline timeline, PrintWriter out) {
            LedgerPrinter.timelineText(timeline, out);
        }

        @Override
        void printJson(LedgerView.Timeline timeline, PrintWriter out) {
            LedgerPrinter.timelineJson(timeline, out);
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "Lists the recorded runs, oldest first, with the incidents each made new, recurring,"
                    + " regressed or resolved.")
    static final class Runs extends Query<List<LedgerView.Run>> {
        @Override
        List<LedgerView.Run> query(Ledger ledger) {
            return ledger.runs();
        }

        @Override
        void printText(List<LedgerView.Run> runs, PrintWriter out) {
            LedgerPrinter.runsTable(runs, out);
        }

        @Override
        void printJson(List<LedgerView.Run> runs, PrintWriter out) {
            LedgerPrinter.runsJson(runs, out);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = "One recorded run: its inputs and their digests, its CI facts, rules and policy digests,"
                    + " and the status changes it made (new, recurring, regressed, resolved), with each rule's"
                    + " reason.")
    static final class Run extends Query<LedgerView.RunChanges> {
        @Parameters(paramLabel = "RUN", description = "A run id (ledger runs lists them), or latest.")
        String run;

        @Override
        void validate() {
            if (!run.equals("latest") && !run.matches("[1-9][0-9]{0,17}")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "RUN: '" + VisibleText.of(run)
                        + "' is no run id (a number from 1, or latest)");
            }
        }

        @Override
        LedgerView.RunChanges query(Ledger ledger) {
            long runId = run.equals("latest") ? ledger.newestRunId() : Long.parseLong(run);
            LedgerView.RunChanges changes = runId == 0 ? null : ledger.run(runId);
            if (changes == null) {
                throw new UserError(runId == 0 ? "no runs in the ledger yet" : "no run " + runId
                        + " in the ledger (pruned, or not recorded yet)");
            }
            return changes;
        }

        @Override
        void printText(LedgerView.RunChanges changes, PrintWriter out) {
            LedgerPrinter.runText(changes, out);
        }

        @Override
        void printJson(LedgerView.RunChanges changes, PrintWriter out) {
            LedgerPrinter.runJson(changes, out);
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            // One sentence an element: picocli lists a subcommand by its first, and wraps each.
            description = {"Deletes the oldest runs (beyond the newest N, or older than D days), with their"
                + " sightings and scenario counts.",
                "Incidents stay, with their status: a resolved incident seen again is still regressed."})
    static final class Prune implements Callable<Integer> {
        @CommandLine.Mixin
        LedgerOption ledger = new LedgerOption();

        @CommandLine.Mixin
        LedgerWaitOption waitLimit = new LedgerWaitOption();

        @Option(names = "--keep-runs", paramLabel = "N", description = "Keep the newest N runs (at least 1).")
        Integer keepRuns;

        @Option(names = "--keep-days", paramLabel = "D",
                description = "Keep the runs recorded in the last D days (at least 1). With --keep-runs too, a run"
                        + " goes only when both let it go. The newest run always stays.")
        Integer keepDays;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (keepRuns == null && keepDays == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --keep-runs N or --keep-days D (or both)");
            }
            if (keepRuns != null && keepRuns < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--keep-runs must be at least 1");
            }
            if (keepDays != null && keepDays < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--keep-days must be at least 1");
            }
            LedgerView.Pruned pruned;
            try (Ledger opened = Ledger.open(waitLimit.applyTo(ledger.required()))) {
                // Days count on the clock that stamped the runs: SOURCE_DATE_EPOCH when it is set.
                Long pinned = SourceDateEpoch.seconds();
                pruned = opened.prune(keepRuns, keepDays, pinned != null ? pinned * 1000 : System.currentTimeMillis());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (pruned.keptFromRunId() == 0) {
                out.println("pruned 0 runs; the ledger has no runs yet");
            } else {
                out.printf("pruned %d run%s; runs from %d on are kept%n", pruned.runs(), pruned.runs() == 1 ? "" : "s",
                        pruned.keptFromRunId());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = {"Creates the ledger's schema, or brings an older one up to date.",
                "Triage runs do it too; the commands that only read never do. For a shared ledger: once every"
                + " runner has a triage-rules that knows the new schema."})
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Mixin
        LedgerOption ledger = new LedgerOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LedgerView.Migrated migrated = Ledger.migrate(ledger.required());
            PrintWriter out = spec.commandLine().getOut();
            if (migrated.fromVersion() == 0) {
                out.printf("ledger schema created at version %d%n", migrated.toVersion());
            } else if (migrated.fromVersion() == migrated.toVersion()) {
                out.printf("ledger schema at version %d: up to date%n", migrated.toVersion());
            } else {
                out.printf("ledger schema migrated from version %d to %d%n", migrated.fromVersion(),
                        migrated.toVersion());
            }
            out.flush();
            return 0;
        }
    }
}
