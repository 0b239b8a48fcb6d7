package dev.triagerules.engine;

import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.Escalation;

/**
 * A failed log entry with the incident the rules made of it: what the report folds.
 * Failures with the same rule-visible fields share one {@link Incident}.
 *
 * @param file       the file that line is in, as messages name it: the run's own name for a run of one file
 *                   (one String shared by all its entries, so a JSONL entry pays no object for it), a report
 *                   of a JUnit folder; null when not known
 * @param lineNumber the entry's line in {@code file}
 */
public record ClassifiedEntry(LogEntry entry, String file, long lineNumber, Incident incident) {
    public String incidentId() {
        return incident.incidentId();
    }

    public String getCrashClass() {
        return incident.getCrashClass();
    }

    public String getSeverity() {
        return incident.getSeverity();
    }

    public String getOwnerHint() {
        return incident.getOwnerHint();
    }

    /** Null when the class's severity has no escalation. */
    public Escalation getEscalation() {
        return incident.getEscalation();
    }

    public String getRule() {
        return incident.getRule();
    }
}
