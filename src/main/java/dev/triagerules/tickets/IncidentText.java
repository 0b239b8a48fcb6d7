package dev.triagerules.tickets;

import dev.triagerules.base.TextLimit;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportedIncident;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown that describes one incident, shared by bead descriptions and the per-owner
 * files so both say the same thing the same way. Output depends only on the incident:
 * the same report gives the same bytes. Every value comes from a report someone else may
 * have written, so each goes through {@link MarkdownText}; only an owner the policy names
 * may mention anyone ({@link MarkdownText#owner}).
 */
public final class IncidentText {
    /** Where the description records the last sighting; read back to order reports in time. */
    private static final Pattern LAST_SEEN = Pattern.compile("(?m)^- Last seen: .*\\(unix ms (\\d+)\\)$");
    /** Where it records when the ledger last opened the incident; read back to tell a reopening. */
    private static final Pattern OPENED = Pattern.compile("(?m)^- Lifecycle: .*, opened in ledger run (\\d+)$");
    private static final Pattern LIFECYCLE = Pattern.compile("(?m)^- Lifecycle: .*$");
    private static final Pattern LAST_SEEN_LINE = Pattern.compile("(?m)^- Last seen: .*$");

    private IncidentText() {
    }

    /**
     * {@code [critical] autograd_state: reason in FT-P2C-002 scenario (strict)}: plain text
     * on one line, control characters shown as escapes (beads shows titles in terminals);
     * Markdown escapes it where it puts it in a heading.
     */
    public static String title(ReportedIncident incident) {
        StringBuilder title = new StringBuilder()
                .append('[').append(incident.severity()).append("] ")
                .append(incident.crashClass());
        if (incident.reasonCode() != null && !incident.reasonCode().isBlank()) {
            title.append(": ").append(incident.reasonCode());
        }
        if (incident.packetId() != null) {
            title.append(" in ").append(incident.packetId());
        }
        if (incident.scenarioId() != null) {
            title.append(' ').append(incident.scenarioId());
        }
        if (incident.mode() != null) {
            title.append(" (").append(incident.mode()).append(')');
        }
        String line = MarkdownText.plainLine(title.toString());
        // beads limits titles to 500 characters.
        return line.length() <= 500 ? line : TextLimit.cut(line, 497) + "...";
    }

    /** The bullet list of facts and the replay command, as Markdown lines (no heading). */
    public static List<String> details(ReportedIncident incident) {
        return details(incident, null);
    }

    /** {@link #details(ReportedIncident)} with the ledger's lifecycle of the incident (null: none). */
    public static List<String> details(ReportedIncident incident, LedgerStatuses ledger) {
        return details(incident, ledger, Set.of());
    }

    /**
     * {@link #details(ReportedIncident, LedgerStatuses)}, where the owner keeps its mentions
     * when the policy names it ({@code policyOwners}: {@link MarkdownText#owner}).
     */
    public static List<String> details(ReportedIncident incident, LedgerStatuses ledger, Set<String> policyOwners) {
        LedgerView.Incident lifecycle = ledger == null ? null : ledger.of(incident.incidentId());
        List<String> lines = new ArrayList<>();
        lines.add("- Incident: " + code(incident.incidentId()));
        lines.add("- Class: " + code(incident.crashClass())
                + (incident.rule() != null ? " (rule " + code(incident.rule()) + ")" : ""));
        lines.add("- Severity: " + MarkdownText.inline(incident.severity()));
        lines.add("- Owner: " + MarkdownText.owner(incident.ownerHint(), policyOwners));
        lines.add("- Packet / suite / scenario / mode: " + code(incident.packetId()) + " / "
                + code(incident.suiteId()) + " / " + code(incident.scenarioId()) + " / " + code(incident.mode()));
        lines.add("- Reason code: " + code(incident.reasonCode()));
        if (incident.maskedReasonCode() != null) {
            lines.add("- Masked reason code (folding and the id use it): " + code(incident.maskedReasonCode()));
        }
        if (incident.fixtureId() != null) {
            lines.add("- Fixture: " + code(incident.fixtureId()));
        }
        lines.add("- Occurrences: " + incident.occurrences());
        lines.add("- Last seen: " + lastSeen(incident.lastSeenUnixMs()));
        if (lifecycle != null) {
            lines.add(lifecycleLine(lifecycle, ledger.openingRun(incident.incidentId())));
        }
        lines.add("- Seed: " + code(incident.seed()));
        lines.add("- Env fingerprint: " + code(incident.envFingerprint()));
        if (incident.determinismVerdict() != null) {
            lines.add("- Flake verdict: " + MarkdownText.inline(incident.determinismVerdict()));
        }
        lines.add("- Escalation: " + escalation(incident.escalation()));
        if (incident.escalation() != null && incident.escalation().linkedBeadId() != null) {
            lines.add("- Linked bead: " + MarkdownText.inline(incident.escalation().linkedBeadId()));
        }
        lines.add("- Artifact refs:" + (incident.artifactRefs().isEmpty() ? " none" : ""));
        incident.artifactRefs().forEach(ref -> lines.add("  - " + code(ref)));
        if (incident.escalation() != null && !incident.escalation().artifactPaths().isEmpty()) {
            lines.add("- Artifacts to attach:");
            incident.escalation().artifactPaths().forEach(path -> lines.add("  - " + code(path)));
        }
        lines.add("");
        lines.add("Replay:");
        lines.add("");
        lines.addAll(fenced(incident.replayCommand() == null ? "(no replay command in the log)"
                : incident.replayCommand()));
        return lines;
    }

    /** The bead description: a one-line lead, then {@link #details}. */
    public static String description(ReportedIncident incident) {
        return description(incident, null);
    }

    /** {@link #description(ReportedIncident)} with the ledger's lifecycle of the incident (null: none). */
    public static String description(ReportedIncident incident, LedgerStatuses lifecycle) {
        return description(incident, lifecycle, Set.of());
    }

    /** {@link #description(ReportedIncident, LedgerStatuses)}; the policy's owners keep their mentions. */
    public static String description(ReportedIncident incident, LedgerStatuses lifecycle, Set<String> policyOwners) {
        List<String> lines = new ArrayList<>();
        lines.add("Crash incident routed by triage-rules to " + MarkdownText.owner(incident.ownerHint(), policyOwners)
                + ".");
        lines.add("");
        lines.addAll(details(incident, lifecycle, policyOwners));
        return String.join("\n", lines);
    }

    /**
     * {@code - Lifecycle: recurring in the ledger since <time>, seen in 3 runs, opened in
     * ledger run N}: the run that last opened it (first sighting, or seen again after it was
     * closed), which tells a later run whether it was opened again since.
     *
     * @param openingRun null when the ledger no longer has it (pruned): then no run is recorded
     */
    static String lifecycleLine(LedgerView.Incident lifecycle, Long openingRun) {
        return "- Lifecycle: " + MarkdownText.inline(lifecycle.status()) + " in the ledger since "
                + LedgerStatuses.time(lifecycle.statusChangedUnixMs()) + ", seen in " + lifecycle.runsSeen()
                + (lifecycle.runsSeen() == 1 ? " run" : " runs")
                + (openingRun == null ? "" : ", opened in ledger run " + openingRun);
    }

    /** The ledger run that last opened the incident, as a description we wrote records it; null if none. */
    public static Long openedIn(String description) {
        if (description == null) {
            return null;
        }
        Matcher m = OPENED.matcher(description);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /**
     * A description we wrote with its lifecycle line set to {@code lifecycle}: replaced, or
     * added after the last sighting; any other text is returned as it is.
     */
    static String withLifecycle(String description, LedgerView.Incident lifecycle, Long openingRun) {
        if (description == null) {
            return null;
        }
        String line = Matcher.quoteReplacement(lifecycleLine(lifecycle, openingRun));
        if (LIFECYCLE.matcher(description).find()) {
            return LIFECYCLE.matcher(description).replaceFirst(line);
        }
        Matcher lastSeen = LAST_SEEN_LINE.matcher(description);
        return lastSeen.find() ? lastSeen.replaceFirst("$0\n" + line) : description;
    }

    /** The last sighting recorded in a description we wrote, or null if it has none. */
    public static BigInteger lastSeenIn(String description) {
        if (description == null) {
            return null;
        }
        Matcher m = LAST_SEEN.matcher(description);
        return m.find() ? new BigInteger(m.group(1)) : null;
    }

    static String lastSeen(BigInteger unixMs) {
        String when;
        if (unixMs.bitLength() < 63) {
            when = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(unixMs.longValueExact()));
        } else {
            when = "far future";
        }
        return when + " (unix ms " + unixMs + ")";
    }

    private static String escalation(ReportedIncident.Escalation escalation) {
        if (escalation == null) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        parts.add(escalation.escalateImmediately() ? "escalate immediately" : "route at the next triage review");
        if (escalation.replayTranscriptRequired()) {
            parts.add("a reproducible replay transcript is required before closing");
        }
        return String.join("; ", parts);
    }

    /** Inline code of the value (see {@link MarkdownText#code}); "-" for a missing value. */
    static String code(String value) {
        return value == null || value.isEmpty() ? "-" : MarkdownText.code(value);
    }

    /** A fenced shell block whose fence is longer than any backtick run inside. */
    static List<String> fenced(String text) {
        return MarkdownText.fence(text, "sh");
    }
}
