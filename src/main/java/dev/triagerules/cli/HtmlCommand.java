package dev.triagerules.cli;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.VisibleText;
import dev.triagerules.html.HtmlReport;
import dev.triagerules.html.HtmlTrends;
import dev.triagerules.html.LedgerTrends;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.html.ReplayRecords;
import dev.triagerules.report.ReportFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage-rules html}: a report as one self-contained HTML page. */
@Command(name = "html",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Renders a triage report as one self-contained HTML page, with ledger trends and replays.",
        description = {
            "Writes one HTML file (styles and script inline, no network) that shows a",
            "triage report to people: the run, charts by class and owner, and every",
            "incident, sortable, filterable and searchable, each with its details and",
            "replay command. With --ledger (or $TRIAGE_RULES_LEDGER), trends over the",
            "ledger's last runs; with --replays, each replayed incident's verdict and the",
            "end of its transcripts.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules html --report triage.json --output triage.html",
            "  triage-rules html --report triage.json --ledger triage-ledger.db \\",
            "      --replays replay-transcripts/replay-summary.json --output triage.html",
            "",
            "Exit codes: 0 written, 1 bad report, ledger or replay summary, 2 bad usage.",
        })
public final class HtmlCommand implements Callable<Integer> {
    @Option(names = "--report", required = true, paramLabel = "REPORT",
            description = "The ft-crash-triage-v1 JSON report (triage-rules --output).")
    Path report;

    @CommandLine.Mixin
    LedgerOption ledger = new LedgerOption();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + LedgerTrends.DEFAULT_RUNS,
            description = "With --ledger: how many of its last runs the trends show (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--replays", paramLabel = "SUMMARY",
            description = "A replay summary (triage-rules replay: replay-transcripts/replay-summary.json): adds"
                    + " each replayed incident's verdict and attempts. Its incidents not in the report are left"
                    + " off, with a warning.")
    Path replays;

    @Option(names = "--transcripts", paramLabel = "DIR",
            description = "With --replays: the transcripts folder (default: the summary's folder).")
    Path transcripts;

    // --output as everywhere else (the main command's --output, --html FILE); --out, its first name, still works.
    @Option(names = {"--output", "--out"}, required = true, paramLabel = "FILE",
            description = "The HTML file to write (--out works too).")
    Path out;

    @CommandLine.Mixin
    QuietOption quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (transcripts != null && replays == null) {
            throw usage("--transcripts needs --replays SUMMARY");
        }
        LedgerLocation ledgerLocation = ledger.location();
        if (ledgerLocation == null && spec.commandLine().getParseResult().hasMatchedOption("--runs")) {
            throw usage("--runs needs --ledger LOC");
        }
        DistinctFiles files = new DistinctFiles()
                .read("--report", report)
                .read("--replays", replays)
                // A SQLite ledger is a file this command reads; a PostgreSQL one is no file here.
                .read("--ledger", ledgerLocation == null ? null : ledgerLocation.sqliteFile().orElse(null))
                .write("--output", out);
        files.collision().ifPresent(message -> {
            throw usage(message);
        });
        ReportFile read = ReportFile.read(report);
        ReplayRecords replayed = replays == null ? null : ReplayRecords.read(replays, transcripts, read);
        HtmlTrends trends = ledgerLocation == null ? null : LedgerTrends.read(ledgerLocation, runs);
        HtmlReport.write(out, read, trends, replayed);
        ReplayRecords.InReport inReport = replayed == null ? null : replayed.inReport(read);
        PrintWriter err = spec.commandLine().getErr();
        if (!quiet.quiet) {
            err.println("html: " + read.incidents().size() + " incident(s)"
                    + (trends == null ? "" : ", trends of " + trends.runs().size() + " run(s)")
                    + (inReport == null ? "" : ", " + inReport.replayed() + " replayed")
                    + " -> " + VisibleText.of(out.toString()));
        }
        if (inReport != null && inReport.hasOthers()) {
            // Even under --quiet: a summary of another report leaves the page without the replays asked for.
            err.println(notInReportWarning(inReport));
        }
        err.flush();
        return 0;
    }

    /** The summary's incidents that the report does not have, in one line. */
    private String notInReportWarning(ReplayRecords.InReport in) {
        List<String> others = new ArrayList<>();
        if (in.replayedElsewhere() > 0) {
            others.add(in.replayedElsewhere() + " of its " + count(in.replayed() + in.replayedElsewhere(),
                    "replayed incident"));
        }
        if (in.skippedElsewhere() > 0) {
            others.add(in.skippedElsewhere() + " of its " + count(in.skipped() + in.skippedElsewhere(),
                    "skipped incident"));
        }
        return "html: warning: --replays " + VisibleText.inMessage(replays.toString()) + ": "
                + String.join(" and ", others)
                + (in.replayedElsewhere() + in.skippedElsewhere() == 1 ? " is" : " are") + " not in "
                + VisibleText.inMessage(report.toString())
                + (in.sharesNothing() ? " (the summary of another report?)" : " (not shown on the page)");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
