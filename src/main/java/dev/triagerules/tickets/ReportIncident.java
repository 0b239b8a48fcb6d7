package dev.triagerules.tickets;

import java.math.BigInteger;
import java.util.List;

/**
 * One incident of an {@code ft-crash-triage-v1} report, as the ticket writers need it.
 * The two unsigned 64-bit numbers are kept exact: {@code seed} as its decimal text,
 * {@code lastSeenUnixMs} as a BigInteger.
 *
 * @param escalation   null when the incident's severity has no escalation
 * @param flakeVerdict the optional {@code determinism.verdict}, or null
 */
public record ReportIncident(
        String incidentId,
        String crashClass,
        String severity,
        String ownerHint,
        String packetId,
        String suiteId,
        String scenarioId,
        String mode,
        String reasonCode,
        String replayCommand,
        List<String> artifactRefs,
        String seed,
        String envFingerprint,
        long occurrences,
        BigInteger lastSeenUnixMs,
        String rule,
        String fixtureId,
        Escalation escalation,
        String flakeVerdict) {

    public ReportIncident {
        artifactRefs = List.copyOf(artifactRefs);
    }

    /** The report's {@code escalation} object. */
    public record Escalation(boolean escalateImmediately, String linkedBeadId, List<String> artifactPaths,
            boolean replayTranscriptRequired) {

        public Escalation {
            artifactPaths = List.copyOf(artifactPaths);
        }
    }
}
