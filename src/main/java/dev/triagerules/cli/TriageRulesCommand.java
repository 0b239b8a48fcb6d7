package dev.triagerules.cli;

import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.UserError;
import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.MarkdownSummary;
import dev.triagerules.report.SeverityGate;
import dev.triagerules.report.TriageReport;
import dev.triagerules.triage.TriageRequest;
import dev.triagerules.triage.TriageService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
        subcommands = {CheckCommand.class, TestCommand.class, ExplainCommand.class, ReplayCommand.class,
            GateCommand.class, TicketsCommand.class, LedgerCommand.class, AutoComplete.GenerateCompletion.class},
        sortOptions = false,
        usageHelpAutoWidth = true,
        // --input/--output are required only when no subcommand is given, which picocli cannot
        // express (it checks a parent's required options even for a subcommand): call() checks them.
        synopsisHeading = "",
        customSynopsis = {
            "Usage: triage-rules --input LOG --output REPORT [--packet PACKET_ID]",
            "                    [--rules DIR] [--policy DIR] [--on-invalid stop|skip]",
            "                    [--fail-on SEVERITY] [--markdown FILE] [-q] [OPTIONS]",
            "       triage-rules COMMAND [OPTIONS]   (see triage-rules COMMAND --help)",
        },
        description = {
            "Turns a JSONL forensic log into routed, replayable crash incidents.",
            "Failures are classified by the Drools rules in --rules; severity, owner and",
            "escalation come from the YAML policy in --policy.",
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
            "",
            "Exit codes: 0 done, 1 bad input, rules or policy, 2 bad usage,",
            "            3 --fail-on tripped.",
        })
public final class TriageRulesCommand implements Callable<Integer> {
    /** Exit status when --fail-on trips (0 done, 1 bad input/rules/policy, 2 bad usage). */
    public static final int EXIT_GATE = 3;

    @CommandLine.Mixin
    TriageOptions triage;

    @Option(names = "--output", paramLabel = "REPORT",
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

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write a Markdown summary for a CI job page.")
    Path markdown;

    @Option(names = "--markdown-append", paramLabel = "FILE",
            description = "Append the Markdown summary to FILE, e.g. \"$GITHUB_STEP_SUMMARY\".")
    Path markdownAppend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        requireInputAndOutput();
        TriageRequest.Builder request = triage.request(output);
        request.refuseOverwritingInput(markdown == null ? null : markdown.toString());
        RulePack pack = RulePack.load(rules.dirAsFound(), policy.dirAsFound(), ruleCache());
        SeverityGate gate = gate(pack);
        PrintWriter err = spec.commandLine().getErr();
        if (!quiet.quiet && ProgressPrinter.stderrIsTerminal()) {
            request.progress(new ProgressPrinter(err));
        }

        TriageReport report = new TriageService().run(request.pack(pack).build()).report();

        boolean toStdout = "-".equals(output);
        writeReport(report, toStdout);
        writeMarkdown(report, pack);
        if (!quiet.quiet) {
            SummaryPrinter.print(report, pack.policy(), toStdout ? "stdout" : output, err);
        }
        if (gate == null) {
            return 0;
        }
        List<FoldedIncident> tripping = gate.tripping(report);
        if (tripping.isEmpty()) {
            return 0;
        }
        SummaryPrinter.printGateTripped(failOn, baseline, tripping, err);
        return EXIT_GATE;
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

    private void writeReport(TriageReport report, boolean toStdout) throws IOException {
        if (toStdout) {
            PrintWriter stdout = spec.commandLine().getOut();
            JsonReportWriter.write(report, stdout);
            stdout.println();
            stdout.flush();
        } else {
            AtomicOutput.write(Path.of(output), out -> JsonReportWriter.write(report, out));
        }
    }

    private void writeMarkdown(TriageReport report, RulePack pack) {
        if (markdown == null && markdownAppend == null) {
            return;
        }
        byte[] text = MarkdownSummary.render(report, pack.policy()).getBytes(StandardCharsets.UTF_8);
        if (markdown != null) {
            AtomicOutput.write(markdown, out -> out.write(text));
        }
        if (markdownAppend != null) {
            try {
                Files.write(markdownAppend, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UserError(markdownAppend + ": cannot append: " + e.getMessage(), e);
            }
        }
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
