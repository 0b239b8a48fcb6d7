package dev.triagerules.cli;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.OutputSet;
import dev.triagerules.base.VisibleText;
import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import dev.triagerules.html.HtmlReport;
import dev.triagerules.html.LedgerTrends;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.report.GateTrip;
import dev.triagerules.report.GithubAnnotations;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.JunitReportWriter;
import dev.triagerules.report.MarkdownSummary;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.SeverityGate;
import dev.triagerules.report.TriageReport;
import dev.triagerules.triage.LedgerRecording;
import dev.triagerules.triage.TriageRequest;
import dev.triagerules.triage.TriageResult;
import dev.triagerules.triage.TriageService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage-rules --input LOG --output REPORT}: the main job. */
@Command(name = "triage-rules",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        // The subcommands are SUBCOMMANDS below, not here: Main adds them only to a command line that needs them.
        sortOptions = false,
        usageHelpAutoWidth = true,
        // --input/--output are required only when no subcommand is given, which picocli cannot
        // express (it checks a parent's required options even for a subcommand): call() checks them.
        synopsisHeading = "",
        customSynopsis = {
            "Usage: triage-rules --input LOG --output REPORT [--packet PACKET_ID]",
            "                    [--rules DIR] [--policy DIR] [--on-invalid stop|skip]",
            "                    [--fail-on SEVERITY] [--markdown FILE] [--html FILE] [-q]",
            "                    [OPTIONS]",
            "       triage-rules COMMAND [OPTIONS]   (see triage-rules COMMAND --help)",
        },
        description = {
            "Turns a JSONL forensic log (or JUnit XML) into routed, replayable crash incidents.",
            "Failures are classified by the Drools rules in --rules; severity, owner and",
            "escalation come from the YAML policy in --policy. With --ledger the run is",
            "recorded in the incident ledger and each incident gets its lifecycle (new,",
            "recurring, regressed, resolved); a ledger that fails leaves the outputs written.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules --input e2e_matrix.jsonl --output crash_triage_v1.json",
            "  triage-rules --input e2e.jsonl --packet FT-P2C-004 --output triage_004.json",
            "  triage-rules --rules my/rules --policy my/policy \\",
            "               --input e2e.jsonl.gz --output -",
            "  triage-rules check && triage-rules test",
            "  triage-rules explain --reason-code oracle_dispatch_error",
            "",
            "  triage-rules --input e2e.jsonl --output triage.json --fail-on critical \\",
            "               --markdown-append \"$GITHUB_STEP_SUMMARY\"",
            "  triage-rules --input e2e.jsonl --output triage.json --on-invalid skip",
            "  triage-rules --input e2e.jsonl --output triage.json --html triage.html",
            "  triage-rules --input e2e.jsonl --output triage.json \\",
            "               --ledger triage-ledger.db --fail-on-new high",
            "  triage-rules --input e2e.jsonl --output triage.json \\",
            "               --ledger \"$MAINLINE_LEDGER\" --no-record --fail-on-new high",
            "",
            "Exit codes: 0 done, 1 bad input, rules or policy, 2 bad usage,",
            "            3 --fail-on or --fail-on-new tripped, 4 the ledger failed",
            "            (the outputs are written; 4 wins over 3).",
        })
public final class TriageRulesCommand implements Callable<Integer> {
    /** Exit status when --fail-on trips (0 done, 1 bad input/rules/policy, 2 bad usage). */
    public static final int EXIT_GATE = 3;
    /** Exit status when the ledger could not record the run; the outputs are written all the same. */
    public static final int EXIT_LEDGER = 4;
    private static final Path STDIN = Path.of("/dev/stdin");

    /**
     * The subcommands, in the order help lists them. Not in {@code @Command(subcommands)}:
     * picocli would build all of them for every run (about 70 ms of a 0.4 s triage), so
     * {@link Main} adds them only when a command line names one, asks for help, or is wrong.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(CheckCommand.class, TestCommand.class, ExplainCommand.class,
            ReplayCommand.class, GateCommand.class, TicketsCommand.class, LedgerCommand.class, HtmlCommand.class,
            AutoComplete.GenerateCompletion.class);

    @CommandLine.Mixin
    TriageOptions triage;

    @Option(names = "--output", paramLabel = "REPORT", converter = FileName.AsText.class,
            description = "Where the ft-crash-triage-v1 JSON report goes; '-' writes it to stdout.")
    String output;

    @CommandLine.Mixin
    RulesOption rules;

    @CommandLine.Mixin
    PolicyOption policy;

    @Option(names = "--no-cache", description = "Compile the rules even if the compiled-rules cache has them.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Compiled-rules cache (default: $XDG_CACHE_HOME/triage-rules or ~/.cache/triage-rules).")
    Path cacheDir;

    @CommandLine.Mixin
    QuietOption quiet;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 3 when an incident at or above this severity exists (after writing everything).")
    String failOn;

    @Option(names = "--baseline", paramLabel = "REPORT",
            description = "With --fail-on: only incidents not in this earlier report count.")
    Path baseline;

    @CommandLine.Mixin
    LedgerRecordingOptions ledger;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write a Markdown summary for a CI job page.")
    Path markdown;

    @Option(names = "--markdown-append", paramLabel = "FILE",
            description = "Append the Markdown summary to FILE, e.g. \"$GITHUB_STEP_SUMMARY\".")
    Path markdownAppend;

    /** Where incidents are annotated. */
    enum Annotations { github, none }

    @Option(names = "--annotations", paramLabel = "github|none",
            description = "Print one GitHub Actions workflow command (::error/::warning/::notice) per incident on"
                    + " stdout, capped to what GitHub shows (default: github when GITHUB_ACTIONS=true, else none).")
    Annotations annotations;

    @Option(names = "--junit-output", paramLabel = "FILE",
            description = "Also write the incidents as JUnit XML (a testsuite per class, a testcase per incident),"
                    + " for GitLab's artifacts:reports:junit or Jenkins.")
    Path junitOutput;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page for people (see also"
                    + " 'triage-rules html').")
    Path html;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The cached pack, being loaded since before the command line was parsed (see {@link Main#main}); or null. */
    RulePack.Preload preload;

    @Override
    public Integer call() throws IOException {
        requireInputAndOutput();
        TriageRequest.Builder request = triage.request(output);
        LedgerLocation ledgerLocation = ledger.location(System::getenv);
        requireDistinctFiles(request, ledgerLocation);
        OutputOnStdout onStdout = outputOnStdout();
        if (annotations == Annotations.github && onStdout != null) {
            throw usage("--annotations github writes to stdout; with " + onStdout.option() + " "
                    + VisibleText.inMessage(onStdout.name()) + " give the " + onStdout.what() + " a file");
        }
        // On GitHub Actions by default, unless an output itself goes to stdout (annotations
        // glued to the report's last line made the JSON invalid, and GitHub read none of them).
        Annotations annotate = annotations != null ? annotations
                : "true".equals(System.getenv("GITHUB_ACTIONS")) && onStdout == null ? Annotations.github
                : Annotations.none;
        PrintWriter err = spec.commandLine().getErr();
        RulePack pack;
        TriageResult result;
        TriageReport report;
        SeverityGate gate;
        SeverityGate newIncidentGate;
        pack = RulePack.load(rules.dirAsFound(), policy.dirAsFound(), ruleCache(), preload);
        gate = gate(pack);
        newIncidentGate = ledger.newIncidentGate(pack);
        if (!quiet.quiet && ProgressPrinter.stderrIsTerminal()) {
            request.progress(new ProgressPrinter(err));
        }
        boolean toStdout = "-".equals(output);
        String stepSummaryFull;
        List<GateTrip> trips = new ArrayList<>();
        // Every output, the quarantine included, is written beside its file first and put in
        // place only once all are written: one that fails leaves every file as it was.
        try (OutputSet outputs = new OutputSet()) {
            // The ledger opens, and the inputs are digested, while the logs are read; not before
            // the pack and the options are known good, so that an error there touches no ledger.
            try (LedgerRecording recording = ledgerLocation == null ? null
                    : withHtmlTrends(ledger.noRecord ? LedgerRecording.withoutRecording(ledgerLocation, pack)
                    : LedgerRecording.start(ledgerLocation, pack, request.runs(), System::getenv))) {
                result = new TriageService().run(request.pack(pack).ledger(recording).outputs(outputs).build());
            }
            report = result.report();
            // Decided here once, before the outputs are written: they say what failed the job.
            if (gate != null) {
                Optional.ofNullable(gate.trip(report, "--fail-on")).ifPresent(trips::add);
            }
            if (newIncidentGate != null && result.ledgerFailure() == null) { // not checked without the ledger
                Optional.ofNullable(newIncidentGate.trip(report, "--fail-on-new")).ifPresent(trips::add);
            }
            // With --html the JSON is made once, as bytes: the page is rendered from what the report says.
            byte[] json = html == null ? null : jsonBytes(report);
            writeReport(outputs, report, json, toStdout);
            stepSummaryFull = writeMarkdown(outputs, report, pack, trips);
            if (junitOutput != null) {
                outputs.write(junitOutput, out -> JunitReportWriter.write(report, out));
            }
            if (html != null) {
                // Trends come from the ledger, read by the run in its transaction so that they include it.
                HtmlReport.write(outputs, html, ReportFile.read(Path.of(output), json),
                        result.ledgerTrends() == null ? null : LedgerTrends.of(result.ledgerTrends()), null);
            }
            outputs.commit();
        }
        if (stepSummaryFull != null) {
            // Even under --quiet; only once the outputs are in place: a run that failed says only why.
            err.println(stepSummaryFull);
        }
        if (annotate == Annotations.github) {
            PrintWriter stdout = spec.commandLine().getOut();
            GithubAnnotations.write(report, pack.policy(), trips, result::location, stdout);
            stdout.flush();
        }
        if (!quiet.quiet) {
            SummaryPrinter.print(report, pack.policy(), toStdout ? "stdout" : output, !ledger.noRecord, err);
        }
        int exit = 0;
        for (GateTrip trip : trips) {
            if (trip.option().equals("--fail-on")) {
                SummaryPrinter.printGateTripped("--fail-on", failOn,
                        baseline == null ? "" : " not in " + baseline, trip.tripped(), err);
                exit = EXIT_GATE;
            }
        }
        if (result.ledgerFailure() != null) {
            // Even under --quiet; after the summary, so that it is the last word.
            err.println(result.ledgerFailure().headline() + (ledger.noRecord ? " (the outputs are written)"
                    : " (this run is not recorded; the outputs are written)"));
            if (result.ledgerFailure().hint() != null) {
                err.println("  hint: " + result.ledgerFailure().hint());
            }
            if (newIncidentGate != null) {
                err.println("triage-rules: --fail-on-new " + ledger.failOnNew + ": not checked without the ledger");
            }
            err.flush();
            return EXIT_LEDGER;
        }
        for (GateTrip trip : trips) {
            if (trip.option().equals("--fail-on-new")) {
                SummaryPrinter.printGateTripped("--fail-on-new", ledger.failOnNew, " opened in this run",
                        trip.tripped(), err);
                exit = EXIT_GATE;
            }
        }
        return exit;
    }

    /**
     * Every file this run reads or writes, under the option that names it. An output that is
     * an input or another output is a usage error, and one that can be no output (a
     * directory, ...) an error, both before anything is read or written (see
     * {@link DistinctFiles}). A new output option joins with one line here.
     */
    private void requireDistinctFiles(TriageRequest.Builder request, LedgerLocation ledgerLocation) {
        DistinctFiles files = new DistinctFiles();
        // stdin is looked at through /dev/stdin: `--input - < log` reads the file log.
        request.runs().forEach(run -> {
            if (run.files().isEmpty()) {
                files.read("--input -", STDIN);
            }
            run.files().forEach(file -> files.read("--input", file)); // a JUnit folder: each report in it
        });
        files.write("--output", "-".equals(output) ? null : Path.of(output));
        files.write(triage.quarantineOption(), triage.quarantinePath(output));
        files.write("--markdown", markdown);
        files.append("--markdown-append", markdownAppend);
        files.write("--junit-output", junitOutput);
        files.write("--html", html);
        // A folder is no ledger: the ledger says so when it opens (exit 4, the outputs written),
        // rather than this check as if --ledger were an output ("cannot write: is a directory").
        files.alsoWrites("--ledger", ledgerLocation == null ? null
                : ledgerLocation.sqliteFile().filter(file -> !Files.isDirectory(file)).orElse(null));
        files.collision().ifPresent(message -> {
            throw usage(message);
        });
    }

    /** An output that goes to this process's stdout: its option, its name as given, and what it holds. */
    private record OutputOnStdout(String option, String name, String what) {
    }

    /**
     * The first output of this run that goes to stdout, or null. The annotations need stdout
     * to themselves: mixed with an output they corrupt it. A new output option joins with
     * one line here.
     */
    private OutputOnStdout outputOnStdout() {
        if ("-".equals(output) || isStdout(output)) {
            return new OutputOnStdout("--output", output, "report");
        }
        List<OutputOnStdout> outputs = new ArrayList<>();
        if (triage.quarantine != null) { // the default is beside the report, never stdout
            outputs.add(new OutputOnStdout("--quarantine", triage.quarantine.toString(), "quarantine"));
        }
        if (markdown != null) {
            outputs.add(new OutputOnStdout("--markdown", markdown.toString(), "Markdown summary"));
        }
        if (markdownAppend != null) {
            outputs.add(new OutputOnStdout("--markdown-append", markdownAppend.toString(), "Markdown summary"));
        }
        if (junitOutput != null) {
            outputs.add(new OutputOnStdout("--junit-output", junitOutput.toString(), "JUnit XML"));
        }
        if (html != null) {
            outputs.add(new OutputOnStdout("--html", html.toString(), "HTML report"));
        }
        return outputs.stream().filter(candidate -> isStdout(candidate.name())).findFirst().orElse(null);
    }

    /**
     * Whether a file name is a name of this process's stdout ({@code /dev/stdout},
     * {@code /dev/fd/1}, {@code /proc/self/fd/1}, or the file the shell redirected it to):
     * the same file as {@code /dev/stdout}. ({@code -} is stdout only for {@code --output}.)
     * {@code /dev/null} never is, though stdout may be it: nothing there can mix.
     */
    static boolean isStdout(String name) {
        try {
            Path path = Path.of(name);
            return Files.isSameFile(Path.of("/dev/stdout"), path) && !Files.isSameFile(Path.of("/dev/null"), path);
        } catch (IOException | InvalidPathException | SecurityException e) {
            return false; // no stdout to compare with, or no such output yet
        }
    }

    /** Whether a regular file's last byte is a line break (a device or pipe: assumed so). */
    private static boolean endsWithNewline(Path file) {
        if (!Files.isRegularFile(file)) {
            return true; // never opened for reading: a FIFO would block
        }
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (channel.size() == 0) {
                return true;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0) == '\n';
        } catch (IOException e) {
            return true; // the append itself reports what is wrong with the file
        }
    }

    /** The size of a regular file, else 0 (nothing there yet, or a device or pipe). */
    private static long sizeIfRegular(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private SeverityGate gate(RulePack pack) {
        if (failOn == null) {
            if (baseline != null) {
                throw usage("--baseline needs --fail-on SEVERITY");
            }
            return null;
        }
        if (!pack.policy().severityOrder().contains(failOn)) {
            throw usage("--fail-on: unknown severity '" + failOn + "'; the policy's severities are "
                    + String.join(", ", pack.policy().severityOrder()));
        }
        return new SeverityGate(pack.policy(), failOn,
                baseline == null ? Set.of() : SeverityGate.incidentIds(baseline));
    }

    /** Writes the report, streamed, or as {@code json} when it was already made (null: not made). */
    private void writeReport(OutputSet outputs, TriageReport report, byte[] json, boolean toStdout)
            throws IOException {
        if (toStdout) {
            PrintWriter stdout = spec.commandLine().getOut();
            if (json == null) {
                JsonReportWriter.write(report, stdout);
            } else {
                stdout.write(new String(json, StandardCharsets.UTF_8));
            }
            stdout.println();
            stdout.flush();
        } else if (json == null) {
            outputs.write(Path.of(output), out -> JsonReportWriter.write(report, out));
        } else {
            outputs.write(Path.of(output), out -> out.write(json));
        }
    }

    /**
     * With --html, the ledger step also reads the trends the page shows, in the run's transaction: a ledger whose
     * trends cannot be read is then a ledger that failed (outputs written, nothing recorded), not a run that fails
     * after its commit.
     */
    private LedgerRecording withHtmlTrends(LedgerRecording recording) {
        return html == null ? recording : recording.withTrends(LedgerTrends.DEFAULT_RUNS, LedgerTrends.LIST_LIMIT);
    }

    private static byte[] jsonBytes(TriageReport report) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        JsonReportWriter.write(report, bytes);
        return bytes.toByteArray();
    }

    /**
     * Writes the Markdown summaries to the set; returns the notice that the step summary is
     * full, for the caller to print once the outputs are committed, or null.
     */
    private String writeMarkdown(OutputSet outputs, TriageReport report, RulePack pack, List<GateTrip> trips) {
        if (markdown == null && markdownAppend == null) {
            return null;
        }
        byte[] text = MarkdownSummary.render(report, pack.policy(), !ledger.noRecord, trips).getBytes(StandardCharsets.UTF_8);
        if (markdown != null) {
            outputs.write(markdown, out -> out.write(text));
        }
        if (markdownAppend != null) {
            // GitHub keeps 1 MiB of a step's summary, whatever else the step appended before us.
            long used = sizeIfRegular(markdownAppend);
            // After text without a final line break our heading would continue its last line.
            String separator = used > 0 && !endsWithNewline(markdownAppend) ? "\n" : "";
            String capped = MarkdownSummary.capped(new String(text, StandardCharsets.UTF_8),
                    Math.max(0, MarkdownSummary.GITHUB_STEP_SUMMARY_BYTES - used - separator.length()));
            if (capped.isEmpty()) {
                // A summary someone looks for is missing: worth saying.
                return "triage-rules: --markdown-append " + VisibleText.inMessage(markdownAppend.toString())
                        + ": nothing appended, the step summary is full (" + used + " of "
                        + MarkdownSummary.GITHUB_STEP_SUMMARY_BYTES + " bytes used)";
            }
            outputs.append(markdownAppend, (separator + capped).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private RuleCache ruleCache() {
        if (noCache) {
            return null;
        }
        // Even under --quiet: a cache that is not used for safety's sake is worth one line.
        PrintWriter err = spec.commandLine().getErr();
        return new RuleCache(cacheDir != null ? cacheDir : RuleCache.defaultDir(), RuleCache.defaultSigningKeyFile(),
                err::println);
    }

    /** The message picocli gives for missing required options, exit code 2 with usage. */
    private void requireInputAndOutput() {
        List<String> missing = new ArrayList<>();
        if (triage.inputs == null) {
            missing.add("'--input=LOG'");
        }
        if (output == null) {
            missing.add("'--output=REPORT'");
        }
        if (!missing.isEmpty()) {
            throw usage("Missing required option" + (missing.size() == 1 ? ": " : "s: ")
                    + String.join(", ", missing));
        }
    }
}
