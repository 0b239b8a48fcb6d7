package dev.triagerules.cli;

import dev.triagerules.UserError;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.FlakeJudge;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.RunHistory;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.JsonlReader;
import dev.triagerules.report.AtomicOutput;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.SummaryPrinter;
import dev.triagerules.report.TriageReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage-rules --input LOG --output REPORT}: the main job. */
@Command(name = "triage-rules",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {TicketsCommand.class, ReplayCommand.class, GateCommand.class},
        sortOptions = false,
        usageHelpAutoWidth = true,
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
            "",
            "Exit codes: 0 done, 1 bad input, rules or policy, 2 bad usage.",
        })
public final class TriageRulesCommand implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "LOG",
            description = "JSONL forensic log; '-' reads stdin; gzip is read transparently. Repeat it, or name a"
                    + " folder (its *.jsonl, *.jsonl.gz) or a glob: each file is one run, in the order given"
                    + " (folders and globs sorted by name).")
    List<String> inputs;

    @Option(names = "--replays", paramLabel = "FILE",
            description = "Replay summary written by 'triage-rules replay --summary' (repeatable):"
                    + " its attempts count for the flaky-or-deterministic verdict.")
    List<Path> replays;

    @Option(names = "--history",
            description = "Judge flaky or deterministic even for a single input without --replays"
                    + " (reads passing entries too, so a large single log takes longer).")
    boolean history;

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

    @Option(names = "--no-cache", description = "Compile the rules even if the compiled-rules cache has them.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Compiled-rules cache (default: $XDG_CACHE_HOME/triage-rules or ~/.cache/triage-rules).")
    Path cacheDir;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr unless something is wrong.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Checked here, not with required = true: picocli would demand them before subcommands too.
        if (inputs == null || output == null) {
            // Worded as picocli words it.
            throw new CommandLine.ParameterException(spec.commandLine(), inputs == null && output == null
                    ? "Missing required options: '--input=LOG', '--output=REPORT'"
                    : "Missing required option: " + (inputs == null ? "'--input=LOG'" : "'--output=REPORT'"));
        }
        List<String> runs = InputFiles.expand(inputs);
        Path rulesDir = rules != null ? rules : Home.defaultRules();
        Path policyDir = policy != null ? policy : Home.defaultPolicy();
        boolean toStdout = "-".equals(output);
        refuseOverwritingInput(runs);

        RulePack pack = RulePack.load(rulesDir, policyDir, ruleCache());
        ReplayEvidence replayEvidence = ReplayEvidence.read(replays);
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add);
        // Verdicts need every entry's outcome, which costs 12-25 % more time on a large log
        // (docs/flaky.md): the plain one-input run keeps the fast path and today's report.
        boolean judge = history || runs.size() > 1 || replays != null;
        RunHistory runHistory = new RunHistory(pack.policy().flake());
        for (String input : runs) { // one input file is one run of the matrix
            builder.startRun(input);
            runHistory.startRun(input);
            try (InputStream in = InputOpener.open(input)) {
                long entries = new JsonlReader(input, in).read(judge ? JsonlReader.Selection.failuresWithOutcomes(packet)
                        : JsonlReader.Selection.failures(packet), parserThreads(), classifier::accept, runHistory);
                builder.countEntries(entries);
            }
            classifier.flush();
            runHistory.endRun();
        }
        if (judge) {
            builder.determinism(FlakeJudge.judge(pack, runHistory, replayEvidence, builder.firstIncidents()));
        }

        TriageReport report = builder.build(generatedUnixMs(), runs.get(0), packet, new TriageReport.Provenance(
                dev.triagerules.ToolVersion.get(),
                pack.rulesDigest(), pack.policyDigest()));
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

    private RuleCache ruleCache() {
        if (noCache) {
            return null;
        }
        return cacheDir != null ? new RuleCache(cacheDir) : RuleCache.inUserCache();
    }

    /** Both cores parse; more rarely help because one thread must cut lines and classify. */
    private static int parserThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
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

    private void refuseOverwritingInput(List<String> runs) throws IOException {
        for (String input : runs) {
            if ("-".equals(input) || "-".equals(output)) {
                continue;
            }
            Path in = Path.of(input);
            Path out = Path.of(output);
            if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
                throw new UserError(output + ": refusing to overwrite the input log with the report");
            }
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
