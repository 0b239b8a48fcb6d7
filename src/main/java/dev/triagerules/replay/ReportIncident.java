package dev.triagerules.replay;

import java.util.List;

/**
 * One incident of a triage report, as replay and the closure gate read it. Every field
 * is kept as found (null when missing) so that the gate can say what is missing; the
 * seed stays decimal text so an unsigned 64-bit value never loses a digit.
 *
 * @param index        position in the report's incidents array (0-based)
 * @param artifactRefs null when the key is missing or not an array of strings
 * @param seed         decimal text, or the raw text of a non-numeric value, or null
 * @param escalation   null when the incident has none
 */
public record ReportIncident(int index, String incidentId, String crashClass, String severity,
        String packetId, String suiteId, String scenarioId, String mode, String replayCommand,
        List<String> artifactRefs, String seed, String envFingerprint, Escalation escalation) {

    /** The report's {@code escalation} object. */
    public record Escalation(boolean escalateImmediately, String linkedBeadId, List<String> artifactPaths,
            boolean replayTranscriptRequired) {
    }

    /** Critical for closure: its escalation demands a replay transcript, or its severity is critical. */
    public boolean critical() {
        return "critical".equals(severity) || (escalation != null && escalation.replayTranscriptRequired());
    }

    /** How messages name it: its id, or its position when the id is missing. */
    public String label() {
        return incidentId != null ? incidentId : "incidents[" + index + "]";
    }
}
