package dev.triagerules.cli;

import dev.triagerules.authoring.FailureFields;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.engine.Failure;
import dev.triagerules.engine.Incident;
import dev.triagerules.engine.RuleExplainer.Explanation;
import dev.triagerules.engine.RuleExplainer;
import dev.triagerules.engine.RuleInfo;
import dev.triagerules.engine.RulePack;
import dev.triagerules.policy.Escalation;
import dev.triagerules.report.TriageReport;
import dev.triagerules.triage.TriageRequest;
import dev.triagerules.triage.TriageService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code triage-rules explain}: every rule that matches a failure, which one wins and why,
 * and the resulting class, severity, owner and escalation.
 */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Shows which rules match a failure, which one wins and why, and its routing.",
        synopsisHeading = "",
        customSynopsis = {
            "Usage: triage-rules explain --reason-code CODE [--packet P] [--suite S]",
            "           [--scenario X] [--mode M] [--outcome O] [--fixture F]",
            "           [--env-fingerprint E] [--rules DIR] [--policy DIR]",
            "       triage-rules explain --input LOG --incident ID",
            "           [--input-format auto|jsonl|junit] [--on-invalid stop|skip]",
            "           [--rules DIR] [--policy DIR]",
        },
        description = {
            "Shows every classification rule whose conditions hold for a failure, in precedence order"
                + " (highest salience first), which one wins and why (rule name, file:line), and the"
                + " resulting class, severity, owner and escalation from policy.",
            "",
            "With --reason-code, explains a made-up failure; fields not given are empty and outcome is"
                + " 'fail'. With --input and --incident, explains the first failure of the log that folds"
                + " into that incident.",
            "",
            "The log is read as the main command reads it: give the --input-format and --on-invalid the"
                + " report was made with. With --on-invalid skip, invalid lines (and JUnit XML reports that"
                + " cannot be read) are skipped and their count said on stderr; explain writes nothing, so it"
                + " has no --quarantine.",
        },
        footerHeading = "%n",
        footer = "Exit codes: 0 explained, 1 bad rules/policy/log, incident not found or no rule classified the failure, 2 bad usage.")
final class ExplainCommand implements Callable<Integer> {
    /** How many places of an incident's failures the first line shows. */
    private static final int SHOWN = 10;

    @Option(names = "--reason-code", paramLabel = "CODE", description = "The failure's reason_code, as logged.")
    String reasonCode;

    @Option(names = "--packet", paramLabel = "P", description = "packet_id of the failure.")
    String packet;

    @Option(names = "--suite", paramLabel = "S", description = "suite_id of the failure.")
    String suite;

    @Option(names = "--scenario", paramLabel = "X", description = "scenario_id of the failure.")
    String scenario;

    @Option(names = "--mode", paramLabel = "M", description = "mode of the failure (e.g. strict, hardened).")
    String mode;

    @Option(names = "--outcome", paramLabel = "O", description = "outcome of the failure (default: fail).")
    String outcome;

    @Option(names = "--fixture", paramLabel = "F", description = "fixture_id of the failure.")
    String fixture;

    @Option(names = "--env-fingerprint", paramLabel = "E", description = "env_fingerprint of the failure.")
    String envFingerprint;

    @Option(names = "--input", paramLabel = "LOG", converter = FileName.AsText.class,
            description = "A JSONL forensic log ('-' for stdin, gzip read transparently) or a JUnit XML report"
                    + " or folder; needs --incident.")
    String input;

    @Option(names = "--incident", paramLabel = "ID",
            description = "An incident_id of a report of LOG, e.g. triage64:1f559ee9a1c84e8f; needs --input.")
    String incident;

    @CommandLine.Mixin
    InputFormatOption inputFormat;

    @CommandLine.Mixin
    OnInvalidOption onInvalid;

    @CommandLine.Mixin
    RulesOption rules;

    @CommandLine.Mixin
    PolicyOption policy;

    @CommandLine.ParentCommand
    TriageRulesCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validateUsage();
        RulePack pack = RulePack.load(rules.dir(parent), policy.dir(parent));
        PrintWriter out = spec.commandLine().getOut();
        Explanation explanation;
        if (input != null) {
            Found found = findIncident(pack);
            out.println("incident " + VisibleText.of(incident) + " in " + VisibleText.of(input) + ": " + occurrences(found)
                    + "; explaining the first, " + found.firstPlace());
            explanation = RuleExplainer.explain(pack, new Failure(found.first.entry(), pack.policy().masks()));
            print(out, FailureFields.of(found.first.entry()), explanation);
        } else {
            FailureFields fields = new FailureFields(reasonCode, packet, suite, scenario, mode, outcome, fixture,
                    envFingerprint);
            explanation = RuleExplainer.explain(pack, new Failure(fields.entry(), pack.policy().masks()));
            print(out, fields, explanation);
        }
        out.flush();
        return explanation.incident() == null ? 1 : 0;
    }

    private void validateUsage() {
        boolean synthetic = reasonCode != null || packet != null || suite != null || scenario != null
                || mode != null || outcome != null || fixture != null || envFingerprint != null;
        if (input == null && (inputFormat.given() || onInvalid.given())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    (inputFormat.given() ? "--input-format" : "--on-invalid")
                    + " reads --input LOG; --reason-code explains a made-up failure, read from no log");
        }
        if (input != null || incident != null) {
            if (synthetic) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--input/--incident explain a logged failure; they cannot be combined with --reason-code"
                        + " or the other failure fields");
            }
            if (input == null || incident == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        input == null ? "--incident needs --input LOG" : "--input needs --incident ID");
            }
        } else if (reasonCode == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--reason-code=CODE' (or --input LOG --incident ID)");
        } else if (outcome != null && !FailureFields.isFailure(outcome)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--outcome pass: passing entries are not failures and are never classified");
        }
    }

    /**
     * The failures of the incident: the first, how many, and where the first {@link #SHOWN} are.
     *
     * @param places       each a line of the log, or FILE:LINE when {@code inOtherFiles}
     * @param inOtherFiles whether the lines are in files other than the log itself (the reports of a JUnit
     *                     folder); one run's failures are all one or all the other
     */
    private record Found(ClassifiedEntry first, long count, List<String> places, boolean inOtherFiles) {
        /** {@code line 13}, or {@code FILE:LINE}. */
        String firstPlace() {
            return (inOtherFiles ? "" : "line ") + places.get(0);
        }
    }

    /**
     * Triages the log as the main command does (its format, invalid lines skipped or not) and
     * keeps the failures of the incident.
     */
    private Found findIncident(RulePack pack) {
        List<String> places = new ArrayList<>();
        ClassifiedEntry[] first = new ClassifiedEntry[1];
        long[] count = new long[1];
        TriageRequest.Builder request = inputFormat.request(List.of(input), spec.commandLine());
        if (request.runs().size() != 1) {
            throw new UserError(input + ": explain reads one log; name a file, not a folder or glob");
        }
        String log = request.runs().get(0).name();
        onInvalid.applyWithoutQuarantine(request); // explain writes nothing, a quarantine neither
        TriageReport report = new TriageService().run(request.pack(pack).classified(found -> {
            if (found.incidentId().equals(incident)) {
                if (first[0] == null) {
                    first[0] = found;
                }
                if (++count[0] <= SHOWN) {
                    places.add(inOtherFile(found, log) ? VisibleText.of(found.file()) + ":" + found.lineNumber()
                            : String.valueOf(found.lineNumber()));
                }
            }
        }).build()).report();
        String skipped = SummaryPrinter.skippedNotice(report);
        if (!skipped.isEmpty()) {
            // Before a "no incident" error too: the skipped lines may be why.
            PrintWriter err = spec.commandLine().getErr();
            err.println("triage-rules: " + skipped + " (explain keeps no quarantine)");
            err.flush();
        }
        if (first[0] == null) {
            throw new UserError(input + ": no incident " + incident + " (" + report.failedEntries()
                    + " failed entries fold into " + report.incidents().size()
                    + " incidents with these rules and policy)");
        }
        return new Found(first[0], count[0], places, inOtherFile(first[0], log));
    }

    /** Whether the failure's line is in a file the log reads, not the log itself: a report of a JUnit folder. */
    private static boolean inOtherFile(ClassifiedEntry failure, String log) {
        return failure.file() != null && !failure.file().equals(log);
    }

    private static String occurrences(Found found) {
        String shown = String.join(", ", found.places)
                + (found.count > found.places.size() ? " and " + (found.count - found.places.size()) + " more" : "");
        if (found.count == 1) {
            return "1 failure folds into it (" + (found.inOtherFiles ? "" : "line ") + shown + ")";
        }
        return found.count + " failures fold into it (" + (found.inOtherFiles ? "" : "lines ") + shown + ")";
    }

    private static void print(PrintWriter out, FailureFields fields, Explanation explanation) {
        Failure failure = explanation.failure();
        out.println("failure: reason_code " + quote(fields.reasonCode())
                + (failure.getReason().equals(fields.reasonCode()) ? ""
                        : " (rules match reason " + quote(failure.getReason()) + ")"));
        if (failure.getMaskedReasonCode() != null) {
            out.println("         masked reason_code " + quote(failure.getMaskedReasonCode())
                    + " (policy masks: folding and incident_id use it)");
        }
        String others = fields.describeOthers();
        if (!others.isEmpty()) {
            out.println("         " + VisibleText.of(others)); // the log's own text
        }
        out.println();

        List<RuleInfo> matching = explanation.matching();
        RuleInfo winner = explanation.winner();
        if (matching.isEmpty()) {
            out.println("no classification rule matches");
        } else {
            out.println(matching.size() == 1 ? "1 rule matches:"
                    : matching.size() + " rules match, in precedence order (highest salience first):");
            int nameWidth = matching.stream().mapToInt(rule -> rule.name().length()).max().orElse(0);
            int salienceWidth = matching.stream().mapToInt(rule -> String.valueOf(rule.salience()).length())
                    .max().orElse(0);
            int locationWidth = matching.stream().mapToInt(rule -> Display.location(rule).length()).max().orElse(0);
            for (RuleInfo rule : matching) {
                String verdict = rule.equals(winner) ? "wins"
                        : winner == null ? "did not fire" : "outranked by " + winner.name();
                out.println("  " + pad(rule.name(), nameWidth) + "  salience " + pad(String.valueOf(rule.salience()),
                        -salienceWidth) + "  " + pad(Display.location(rule), locationWidth) + "  " + verdict);
            }
        }
        out.println();

        if (winner == null) {
            out.println("winner: none: " + VisibleText.of(explanation.error()));
            return;
        }
        out.println("winner: rule " + quote(winner.name()) + " (" + Display.location(winner) + "): "
                + why(explanation));
        Incident incident = explanation.incident();
        if (incident == null) {
            out.println("class:      " + failure.getCrashClass());
            out.println("no incident: " + VisibleText.of(explanation.error()));
            return;
        }
        out.println("class:      " + incident.getCrashClass());
        out.println("severity:   " + incident.getSeverity());
        out.println("owner:      " + incident.getOwnerHint());
        Escalation escalation = incident.getEscalation();
        out.println("escalation: " + (escalation == null
                ? "none (policy has no escalation for severity " + incident.getSeverity() + ")"
                : "escalate_immediately=" + escalation.escalateImmediately()
                        + " linked_bead_id=" + escalation.linkedBeadId()
                        + " attach_artifact_paths=" + escalation.attachArtifactPaths()
                        + " replay_transcript_required=" + escalation.replayTranscriptRequired()));
    }

    private static String why(Explanation explanation) {
        RuleInfo winner = explanation.winner();
        List<RuleInfo> matching = explanation.matching();
        if (!matching.contains(winner)) {
            return "it matched only after other rules had fired";
        }
        List<RuleInfo> tied = explanation.tiedWithWinner();
        if (!tied.isEmpty()) {
            return "tied at salience " + winner.salience() + " with " + String.join(", ",
                    tied.stream().map(rule -> quote(rule.name())).toList())
                    + "; salience does not order them, so Drools' own order (rule load order) chose."
                    + " Give them different saliences";
        }
        if (matching.size() == 1) {
            return "the only matching rule";
        }
        return "the highest salience (" + winner.salience() + ") of the " + matching.size() + " matching rules";
    }

    /** Left-aligned to {@code width}, or right-aligned to {@code -width}. */
    private static String pad(String text, int width) {
        int target = Math.abs(width);
        if (text.length() >= target) {
            return text;
        }
        String spaces = " ".repeat(target - text.length());
        return width < 0 ? spaces + text : text + spaces;
    }

    /** A JSON-style quoted string, so odd reason codes (empty, control characters) stay visible. */
    /** A log's text in quotes, shown safely on a terminal (escape sequences, bidirectional overrides). */
    private static String quote(String text) {
        return "\"" + VisibleText.of(text).replace("\"", "\\\"") + "\"";
    }
}
