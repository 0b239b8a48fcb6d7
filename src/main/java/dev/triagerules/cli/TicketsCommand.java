package dev.triagerules.cli;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.SourceDateEpoch;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.policy.Policy;
import dev.triagerules.report.ReportFile;
import dev.triagerules.tickets.BeadId;
import dev.triagerules.tickets.LedgerStatuses;
import dev.triagerules.tickets.MarkdownTickets;
import dev.triagerules.tickets.TicketIncidents;
import dev.triagerules.tickets.TicketPlan;
import dev.triagerules.tickets.TicketSync;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code triage-rules tickets}: route a report's incidents to their owners as tickets. */
@Command(name = "tickets",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Files the incidents of a triage report as tickets for their owners.",
            "beads: one issue per incident in a beads JSONL store, matched by external_ref =",
            "incident id, so runs never duplicate: open tickets are updated, closed ones that",
            "recur are reopened as regressions. Other records are kept byte for byte.",
            "markdown: one <owner>.md per owner, most severe first, ready to paste anywhere.",
            "With an incident ledger (--ledger or $TRIAGE_RULES_LEDGER), its lifecycle decides:",
            "a closed ticket reopens when the incident regressed; with tickets.close_resolved:",
            "true in the policy, tickets of resolved incidents close with the evidence.",
            "Only owners the policy names mention anyone (@team); any other @name, #123 or",
            "GH-123 in the report is shown so that GitHub and GitLab link nobody.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules tickets --report triage.json --store .beads/issues.jsonl",
            "  triage-rules tickets --report triage.json --dry-run --max-new 5",
            "  triage-rules tickets --report triage.json --format markdown \\",
            "               --out-dir tickets/",
            "  triage-rules tickets --report triage.json --ledger triage-ledger.db",
            "",
            "Exit codes: 0 done, 1 bad report, store, policy or ledger (nothing written),",
            "            2 bad usage.",
        })
public final class TicketsCommand implements Callable<Integer> {

    enum Format { beads, markdown }

    @Option(names = "--report", required = true, paramLabel = "REPORT",
            description = "The ft-crash-triage-v1 JSON report (triage-rules --output).")
    Path report;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "beads",
            description = "beads or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--store", paramLabel = "FILE", defaultValue = ".beads/issues.jsonl",
            description = "beads: the issues JSONL store to update (default: ${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "markdown: the folder for <owner>.md files and README.md.")
    Path outDir;

    @Option(names = "--dry-run",
            description = "Print what would be created, updated, reopened or held back; write nothing.")
    boolean dryRun;

    @Option(names = "--max-new", paramLabel = "N",
            description = "beads: create at most N tickets this run (default: policy tickets.max_new_per_run).")
    Integer maxNew;

    @CommandLine.Mixin
    PolicyOption policy;

    @Option(names = "--id-prefix", paramLabel = "PREFIX", defaultValue = BeadId.DEFAULT_PREFIX,
            description = "beads: prefix of new ticket ids, as your beads repo expects (default: ${DEFAULT-VALUE}).")
    String idPrefix;

    @CommandLine.Mixin
    LedgerOption ledger = new LedgerOption();

    @CommandLine.Mixin
    QuietOption quiet;

    @CommandLine.ParentCommand
    TriageRulesCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Clock clock;

    public TicketsCommand() {
        this(clockFromEnvironment());
    }

    /** For tests: a fixed "now" for created_at / updated_at. */
    TicketsCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        LedgerLocation ledgerLocation = ledgerLocation();
        checkUsage(ledgerLocation);
        ReportFile parsed = TicketIncidents.requireComplete(ReportFile.read(report));
        if (ledgerLocation == null) {
            return format == Format.markdown ? markdown(parsed, null) : beads(parsed, null);
        }
        // Only read: a SQLite ledger that is not there is a mistake, not a new ledger.
        try (Ledger opened = Ledger.openToRead(ledgerLocation)) {
            LedgerStatuses statuses = LedgerStatuses.of(opened);
            return format == Format.markdown ? markdown(parsed, statuses) : beads(parsed, statuses);
        }
    }

    private LedgerLocation ledgerLocation() {
        return ledger.location();
    }

    private void checkUsage(LedgerLocation ledgerLocation) {
        Path ledgerFile = ledgerLocation == null ? null : ledgerLocation.sqliteFile().orElse(null);
        if (format == Format.markdown && outDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format markdown needs --out-dir DIR");
        }
        if (format == Format.beads && outDir != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--out-dir is for --format markdown; beads tickets go to --store");
        }
        if (maxNew != null && maxNew < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-new must be 0 or more, got " + maxNew);
        }
        if (format == Format.beads) {
            DistinctFiles files = new DistinctFiles().read("--report", report).read("--ledger", ledgerFile);
            // A dry run writes nothing: a store it may not write is still one to plan against.
            requireDistinct(dryRun ? files.alsoWrites("--store", store) : files.write("--store", store));
        }
        if (!idPrefix.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--id-prefix must be letters, digits, '.', '_' or '-', got \"" + idPrefix + "\"");
        }
    }

    private int beads(ReportFile parsed, LedgerStatuses ledgerStatuses) {
        Policy loaded = policy.load(parent); // ticket priorities follow its severity order
        int cap = maxNew != null ? maxNew : loaded.tickets().maxNewPerRun();
        TicketPlan plan = new TicketSync(idPrefix, cap, loaded.severityOrder(), clock, ledgerStatuses,
                loaded.tickets().closeResolved(), loaded.ownerHints()).sync(store, parsed.incidents(), dryRun);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (dryRun) {
            plan.actions().forEach(action -> out.println(action.describe()));
            out.println("dry run: would have " + plan.summary() + "; " + store + " not written");
            out.flush();
            return 0;
        }
        if (!quiet.quiet) {
            err.println("tickets: " + plan.summary() + " -> " + store);
        }
        List<TicketPlan.Action> heldBack = plan.of(TicketPlan.Kind.HELD_BACK);
        if (!heldBack.isEmpty()) {
            // Listed even with --quiet: these incidents have no ticket yet.
            err.println("tickets: " + heldBack.size() + " incident(s) held back by the cap of " + cap
                    + " new tickets per run (run again, or raise --max-new / tickets.max_new_per_run):");
            heldBack.forEach(action -> err.println("  " + action.describe()));
        }
        err.flush();
        return 0;
    }

    private int markdown(ReportFile parsed, LedgerStatuses ledgerStatuses) {
        // The policy's owners may be mentioned (@team); any other @name in the report notifies nobody.
        Policy loaded = policy.load(parent);
        Map<String, String> files = MarkdownTickets.render(parsed, ledgerStatuses, loaded.tickets().closeResolved(),
                loaded.ownerHints());
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            files.keySet().forEach(name -> out.println("write " + outDir.resolve(name)));
            out.flush();
            return 0;
        }
        DistinctFiles paths = new DistinctFiles().read("--report", report);
        LedgerLocation ledgerLocation = ledgerLocation();
        if (ledgerLocation != null) {
            ledgerLocation.sqliteFile().ifPresent(file -> paths.read("--ledger", file));
        }
        files.keySet().forEach(name -> paths.write("--out-dir (its " + name + ")", outDir.resolve(name)));
        requireDistinct(paths);
        List<Path> written = MarkdownTickets.write(outDir, files);
        if (!quiet.quiet) {
            spec.commandLine().getErr().println("tickets: " + parsed.incidents().size() + " incident(s) for "
                    + (written.size() - 1) + " owner(s) -> " + outDir);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    /** An output that is the report (or another output) is a usage error, before anything is written. */
    private void requireDistinct(DistinctFiles files) {
        files.collision().ifPresent(message -> {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        });
    }

    /** SOURCE_DATE_EPOCH (seconds) pins created_at / updated_at for reproducible stores. */
    static Clock clockFromEnvironment() {
        Long epoch = SourceDateEpoch.seconds();
        return epoch != null ? Clock.fixed(Instant.ofEpochSecond(epoch), ZoneOffset.UTC) : Clock.systemUTC();
    }
}
