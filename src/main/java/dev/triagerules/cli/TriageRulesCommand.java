package dev.triagerules.cli;

import dev.triagerules.UserError;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.JsonlReader;
import dev.triagerules.report.AtomicOutput;
import dev.triagerules.report.FileSetDigest;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.SummaryPrinter;
import dev.triagerules.report.TriageReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage-rules --input LOG --output REPORT}: the main job. */
@Command(name = "triage-rules",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        // --input/--output are required only when no subcommand is given, which picocli cannot
        // express (it checks a parent's required options even for a subcommand): call() checks them.
        synopsisHeading = "",
        customSynopsis = {
            "Usage: triage-rules --input LOG --output REPORT [--packet PACKET_ID]",
            "                    [--rules DIR] [--policy DIR] [-q]",
            "       triage-rules (check | test | explain) [OPTIONS]   (see COMMAND --help)",
        },
        subcommands = {CheckCommand.class, TestCommand.class, ExplainCommand.class},
        description = {
            "Turns a JSONL forensic log into routed, replayable crash incidents.",
            "Failures are classified by the Drools rules in --rules; severity, owner and",
            "escalation come from the YAML policy in --policy.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules --input artifacts/e2e_matrix.jsonl --output artifacts/crash_triage_v1.json",
            "  triage-rules --input e2e.jsonl --packet FT-P2C-004 --output triage_004.json",
            "  triage-rules --rules my/rules --policy my/policy --input e2e.jsonl.gz --output -",
            "  triage-rules check && triage-rules test",
            "  triage-rules explain --reason-code oracle_dispatch_error",
            "",
            "Exit codes: 0 done, 1 bad input, rules or policy, 2 bad usage.",
        })
public final class TriageRulesCommand implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "LOG",
            description = "JSONL forensic log; '-' reads stdin; gzip is read transparently.")
    String input;

    @Option(names = "--output", paramLabel = "REPORT",
            description = "Where the ft-crash-triage-v1 JSON report goes; '-' writes it to stdout.")
    String output;

    @Option(names = "--packet", paramLabel = "PACKET_ID",
            description = "Triage only entries of this packet (all entries are still counted).")
    String packet;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Folder of *.drl classification rules (default: the bundled rules/).")
    Path rules;

    @Option(names = "--policy", paramLabel = "DIR",
            description = "Folder of *.yaml severity/owner/escalation policy (default: the bundled policy/).")
    Path policy;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr unless something is wrong.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        requireInputAndOutput();
        Path rulesDir = rules != null ? rules : Home.defaultRules();
        Path policyDir = policy != null ? policy : Home.defaultPolicy();
        boolean toStdout = "-".equals(output);
        refuseOverwritingInput();

        RulePack pack = RulePack.load(rulesDir, policyDir);
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add);
        try (InputStream in = InputOpener.open(input)) {
            new JsonlReader(input, in).read((entry, line) -> {
                builder.countEntry();
                if ((packet == null || packet.equals(entry.packetId())) && entry.failed()) {
                    classifier.accept(entry, line);
                }
            });
        }
        classifier.flush();

        TriageReport report = builder.build(generatedUnixMs(), input, packet, new TriageReport.Provenance(
                VersionProvider.version(),
                FileSetDigest.of(rulesDir, pack.rules().files()),
                FileSetDigest.of(policyDir, pack.policy().files())));
        if (toStdout) {
            PrintWriter stdout = spec.commandLine().getOut();
            JsonReportWriter.write(report, stdout);
            stdout.println();
            stdout.flush();
        } else {
            AtomicOutput.write(Path.of(output), out -> JsonReportWriter.write(report, out));
        }
        if (!quiet) {
            SummaryPrinter.print(report, pack.policy(), toStdout ? "stdout" : output, spec.commandLine().getErr());
        }
        return 0;
    }

    /** The message picocli gives for missing required options, exit code 2 with usage. */
    private void requireInputAndOutput() {
        List<String> missing = new ArrayList<>();
        if (input == null) {
            missing.add("'--input=LOG'");
        }
        if (output == null) {
            missing.add("'--output=REPORT'");
        }
        if (!missing.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                    + (missing.size() == 1 ? ": " : "s: ") + String.join(", ", missing));
        }
    }

    /** SOURCE_DATE_EPOCH (seconds) pins the timestamp for reproducible reports. */
    private static long generatedUnixMs() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            try {
                return Long.parseLong(epoch.strip()) * 1000;
            } catch (NumberFormatException e) {
                throw new UserError("SOURCE_DATE_EPOCH must be whole seconds since 1970, got \"" + epoch + "\"");
            }
        }
        return System.currentTimeMillis();
    }

    private void refuseOverwritingInput() throws IOException {
        if ("-".equals(input) || "-".equals(output)) {
            return;
        }
        Path in = Path.of(input);
        Path out = Path.of(output);
        if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UserError(output + ": refusing to overwrite the input log with the report");
        }
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TriageRulesCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof UserError) {
                cmd.getErr().println(e.getMessage());
                return 1;
            }
            cmd.getErr().println("triage-rules: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
