package dev.triagerules.tickets;

import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportedIncident;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown that describes one incident, shared by bead descriptions and the per-owner
 * files so both say the same thing the same way. Output depends only on the incident:
 * the same report gives the same bytes. Every value comes from a report someone else may
 * have written, so each goes through {@link MarkdownText}.
 */
public final class IncidentText {
    /** Where the description records the last sighting; read back to order reports in time. */
    private static final Pattern LAST_SEEN = Pattern.compile("(?m)^- Last seen: .*\\(unix ms (\\d+)\\)$");

    private IncidentText() {
    }

    /**
     * {@code [critical] autograd_state: reason in FT-P2C-002 scenario (strict)}: plain text
     * on one line without control characters (beads shows titles in terminals); Markdown
     * escapes it where it puts it in a heading.
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
        return line.length() <= 500 ? line : line.substring(0, 497) + "...";
    }

    /** The bullet list of facts and the replay command, as Markdown lines (no heading). */
    public static List<String> details(ReportedIncident incident) {
        List<String> lines = new ArrayList<>();
        lines.add("- Incident: " + code(incident.incidentId()));
        lines.add("- Class: " + code(incident.crashClass())
                + (incident.rule() != null ? " (rule " + code(incident.rule()) + ")" : ""));
        lines.add("- Severity: " + MarkdownText.inline(incident.severity()));
        lines.add("- Owner: " + MarkdownText.inline(incident.ownerHint()));
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
        List<String> lines = new ArrayList<>();
        lines.add("Crash incident routed by triage-rules to " + MarkdownText.inline(incident.ownerHint()) + ".");
        lines.add("");
        lines.addAll(details(incident));
        return String.join("\n", lines);
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
