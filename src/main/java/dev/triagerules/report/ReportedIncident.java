package dev.triagerules.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One incident of an {@code ft-crash-triage-v1} report as {@link ReportFile} read it: every
 * key {@link JsonReportWriter} writes, kept as found. A key that is missing or JSON null is
 * null here; a key whose value has the wrong type is null too (the seed excepted, see
 * below) and is named in {@link #problems}, so that each reader of reports can decide for
 * itself what it needs: the closure gate reports what is missing, tickets refuse the report.
 * Unsigned 64- and 128-bit numbers are kept exact.
 *
 * @param index              position in the report's incidents array (0-based)
 * @param artifactRefs       null when missing, null or not an array of strings
 * @param seed               decimal text of a whole number, the text of a string, else the raw JSON of the
 *                           value (even when it is no unsigned 64-bit integer: the gate quotes it); null
 *                           when missing or null
 * @param occurrences        null when missing, null or not an unsigned 64-bit integer
 * @param lastSeenUnixMs     null when missing, null or not an unsigned 128-bit integer (as upstream's u128)
 * @param firstSeenLine      null when missing, null or not a whole number
 * @param escalation         null when missing, null or not an object
 * @param determinismVerdict the optional {@code determinism.verdict}; null when absent, not a string or blank
 * @param problems           keys present with a value of the wrong type (nested ones as
 *                           {@code escalation.linked_bead_id}), in report key order
 * @param firstSeenInput     the optional {@code first_seen_input}: the run {@code first_seen_line} is in
 * @param determinism        the optional {@code determinism} object in full; null when absent or not an object
 * @param lifecycle          the optional {@code lifecycle} object a ledger adds; null when absent or not an object
 * @param maskedReasonCode   the optional {@code masked_reason_code} (policy masks on): what folding and the id
 *                           used; null when absent or not a string
 * @param firstSeenFile      the optional {@code first_seen_file}: the file {@code first_seen_line} is in, when
 *                           the run reads several (a report of a JUnit folder or glob); null when absent or not
 *                           a string (the line is then in {@code first_seen_input}, else the input log)
 */
public record ReportedIncident(
        int index,
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
        BigInteger occurrences,
        BigInteger lastSeenUnixMs,
        String rule,
        String fixtureId,
        Long firstSeenLine,
        Escalation escalation,
        String determinismVerdict,
        Map<String, Problem> problems,
        String firstSeenInput,
        Determinism determinism,
        Lifecycle lifecycle,
        String maskedReasonCode,
        String firstSeenFile) {

    /** An incident without the optional verdict details and lifecycle (built by hand, e.g. for tickets). */
    public ReportedIncident(int index, String incidentId, String crashClass, String severity, String ownerHint,
            String packetId, String suiteId, String scenarioId, String mode, String reasonCode, String replayCommand,
            List<String> artifactRefs, String seed, String envFingerprint, BigInteger occurrences,
            BigInteger lastSeenUnixMs, String rule, String fixtureId, Long firstSeenLine, Escalation escalation,
            String determinismVerdict, Map<String, Problem> problems) {
        this(index, incidentId, crashClass, severity, ownerHint, packetId, suiteId, scenarioId, mode, reasonCode,
                replayCommand, artifactRefs, seed, envFingerprint, occurrences, lastSeenUnixMs, rule, fixtureId,
                firstSeenLine, escalation, determinismVerdict, problems, null, null, null, null, null);
    }

    /** The same incident with its {@code masked_reason_code} (e.g. kept by a reader that rebuilds incidents). */
    public ReportedIncident withMaskedReasonCode(String masked) {
        return new ReportedIncident(index, incidentId, crashClass, severity, ownerHint, packetId, suiteId, scenarioId,
                mode, reasonCode, replayCommand, artifactRefs, seed, envFingerprint, occurrences, lastSeenUnixMs, rule,
                fixtureId, firstSeenLine, escalation, determinismVerdict, problems, firstSeenInput, determinism,
                lifecycle, masked, firstSeenFile);
    }

    public ReportedIncident {
        artifactRefs = artifactRefs == null ? null : List.copyOf(artifactRefs);
        problems = problems == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(problems));
    }

    /**
     * A key whose value has the wrong type.
     *
     * @param message what is wrong, e.g. {@code must be a string}
     * @param value   the value found
     */
    public record Problem(String message, JsonNode value) {
    }

    /**
     * The report's {@code escalation} object.
     *
     * @param artifactPaths null when missing, null or not an array of strings
     */
    public record Escalation(boolean escalateImmediately, String linkedBeadId, List<String> artifactPaths,
            boolean replayTranscriptRequired) {

        public Escalation {
            artifactPaths = artifactPaths == null ? null : List.copyOf(artifactPaths);
        }
    }

    /**
     * The report's {@code determinism} object: the flaky-or-deterministic verdict and what it
     * rests on. Each value is null when missing or of the wrong type.
     *
     * @param flakeRate the rate as written (a decimal such as {@code 0.25}), kept as text
     * @param replay    the {@code replay} counts, or null
     * @param ledger    the {@code ledger} counts (runs a ledger recorded), or null
     */
    public record Determinism(String verdict, String rule, Long runs, Long passingRuns, Long failingRuns,
            Long mixedRuns, Long passes, Long failures, String flakeRate, Boolean sameSeedMixed,
            List<String> reasonCodes, Long infraExcludedRuns, ReplayCounts replay, LedgerCounts ledger,
            List<String> evidence, List<String> labels, Boolean gatingExcluded, String gatingExclusionReason) {

        public Determinism {
            reasonCodes = reasonCodes == null ? null : List.copyOf(reasonCodes);
            evidence = evidence == null ? null : List.copyOf(evidence);
            labels = labels == null ? null : List.copyOf(labels);
        }
    }

    /** The {@code determinism.ledger} counts: runs of the scenario on the incident's env fingerprint. */
    public record LedgerCounts(Long runs, Long passingRuns, Long failingRuns, Long mixedRuns) {
    }

    /** The {@code determinism.replay} counts. */
    public record ReplayCounts(Long attempts, Long passes, Long failures, Long hung, List<String> verdicts) {
        public ReplayCounts {
            verdicts = verdicts == null ? null : List.copyOf(verdicts);
        }
    }

    /**
     * The {@code lifecycle} object an incident ledger adds: where the incident stands across runs.
     *
     * @param status the ledger's word, e.g. {@code new}, {@code recurring}, {@code regressed}, {@code resolved}
     * @param others every other key whose value is a string, number or boolean, as text, in file order
     */
    public record Lifecycle(String status, BigInteger firstSeenUnixMs, BigInteger lastSeenUnixMs, Long runsSeen,
            Map<String, String> others) {

        public Lifecycle {
            others = others == null ? Map.of() : Collections.unmodifiableMap(
                    new LinkedHashMap<>(others));
        }
    }

    /**
     * Critical for closure: its escalation demands a replay transcript
     * ({@code replay_transcript_required}), which the policy decides per severity. The
     * severity's name decides nothing.
     */
    public boolean needsReplayTranscript() {
        return escalation != null && escalation.replayTranscriptRequired();
    }

    /**
     * Where the incident was first seen: {@code FILE:LINE} of the file its line is in (its
     * {@code first_seen_file}, else its run {@code first_seen_input}, else {@code inputLogPath}),
     * {@code line N} when none is known; null when the report has no {@code first_seen_line}.
     */
    public String firstSeen(String inputLogPath) {
        if (firstSeenLine == null) {
            return null;
        }
        String file = firstSeenFile != null ? firstSeenFile : firstSeenInput != null ? firstSeenInput : inputLogPath;
        return file == null ? "line " + firstSeenLine : file + ":" + firstSeenLine;
    }

    /** How messages name it: its id, or its position when the id is missing or blank (nothing to show). */
    public String label() {
        return incidentId != null && !incidentId.isBlank() ? incidentId : "incidents[" + index + "]";
    }
}
