package dev.triagerules.cli;

import dev.triagerules.base.OutputTarget;
import dev.triagerules.base.VisibleText;
import dev.triagerules.triage.TriageRequest;
import dev.triagerules.triage.VerdictOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What to triage and how, as the main command takes it (a picocli mixin): it turns into a
 * {@link TriageRequest}. Output options are the command's own.
 */
final class TriageOptions {
    @Option(names = "--input", paramLabel = "LOG", converter = FileName.AsText.class,
            description = "JSONL forensic log or JUnit XML report; '-' reads stdin; gzip is read transparently."
                    + " Repeat it, or name a folder (its *.jsonl, *.jsonl.gz) or a glob: each file is one run, in"
                    + " the order given (folders and globs sorted by name). A folder of JUnit XML reports (e.g."
                    + " target/surefire-reports) is one run.")
    List<String> inputs;

    @CommandLine.Mixin
    InputFormatOption inputFormat;

    @Option(names = "--replays", paramLabel = "FILE",
            description = "Replay summary written by 'triage-rules replay --summary' (repeatable):"
                    + " its attempts count for the flaky-or-deterministic verdict.")
    List<Path> replays;

    @Option(names = "--history",
            description = "Judge flaky or deterministic even for a single input without --replays"
                    + " (reads passing entries too, so a large single log takes longer).")
    boolean history;

    @Option(names = "--packet", paramLabel = "PACKET_ID",
            description = "Triage only entries of this packet (all entries are still counted).")
    String packet;

    @CommandLine.Mixin
    OnInvalidOption onInvalid;

    @Option(names = "--quarantine", paramLabel = "FILE",
            description = "JSONL of the lines (and JUnit XML reports) --on-invalid skip rejected, which the report"
                    + " counts (default: REPORT.quarantine.jsonl).")
    Path quarantine;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /**
     * The request for a report going to {@code output} ({@code -}: stdout), without its rule
     * pack yet: the runs expanded and the quarantine placed. Which files may be outputs is
     * the command's to check ({@code TriageRulesCommand.requireDistinctFiles}).
     */
    TriageRequest.Builder request(String output) {
        return inputFormat.request(inputs, spec.commandLine())
                .packetFilter(packet)
                .verdicts(new VerdictOptions(history, replays))
                .quarantine(quarantinePath(output));
    }

    /** How messages name the quarantine file: the option, or that it is the option's default. */
    String quarantineOption() {
        return quarantine != null ? "--quarantine" : "--quarantine (default)";
    }

    /** Where skipped lines go: --quarantine, else beside the report; null when invalid lines stop the run. */
    Path quarantinePath(String output) {
        if (!onInvalid.skips()) {
            if (quarantine != null) {
                throw usage("--quarantine needs --on-invalid skip");
            }
            return null;
        }
        if (quarantine != null) {
            return quarantine;
        }
        if ("-".equals(output) || OutputTarget.of(Path.of(output)).isStream()) {
            // Beside a device there is no place for it (/dev/null.quarantine.jsonl, as root).
            throw usage("--on-invalid skip with --output " + VisibleText.inMessage(output)
                    + " (not a file) needs --quarantine FILE");
        }
        return Path.of(output.replaceFirst("\\.json$", "") + ".quarantine.jsonl");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
