package dev.triagerules.authoring;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.engine.Failure;
import dev.triagerules.input.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a made-up failed log entry, as a test case or {@code explain --reason-code}
 * gives them. Fields not given are empty strings, except {@code outcome}, which is
 * {@code fail}: a rule that tests a field the case does not set sees "".
 */
public record FailureFields(String reasonCode, String packetId, String suiteId, String scenarioId, String mode,
        String outcome, String fixtureId, String envFingerprint) {

    public static final String DEFAULT_OUTCOME = "fail";

    public FailureFields {
        reasonCode = orEmpty(reasonCode);
        packetId = orEmpty(packetId);
        suiteId = orEmpty(suiteId);
        scenarioId = orEmpty(scenarioId);
        mode = orEmpty(mode);
        outcome = outcome == null ? DEFAULT_OUTCOME : outcome;
        fixtureId = orEmpty(fixtureId);
        envFingerprint = orEmpty(envFingerprint);
    }

    public static FailureFields ofReasonCode(String reasonCode) {
        return new FailureFields(reasonCode, null, null, null, null, null, null, null);
    }

    /** Whether an outcome makes an entry a failure, the only entries rules classify. */
    public static boolean isFailure(String outcome) {
        return LogEntry.isFailure(outcome);
    }

    /** The fields of a logged entry. */
    public static FailureFields of(LogEntry entry) {
        return new FailureFields(entry.reasonCode(), entry.packetId(), entry.suiteId(), entry.scenarioId(),
                entry.mode(), entry.outcome(), entry.fixtureId(), entry.envFingerprint());
    }

    public LogEntry entry() {
        return new LogEntry("ft-conformance-log-v1", Unsigned128.ZERO, suiteId, scenarioId, fixtureId, packetId, mode, 0,
                envFingerprint, List.of(), "", outcome, reasonCode);
    }

    /** A fresh, unclassified fact. */
    public Failure failure() {
        return new Failure(entry());
    }

    /** The fields that were given, other than the reason code, as {@code packet_id=X} words. */
    public String describeOthers() {
        List<String> parts = new ArrayList<>();
        add(parts, "packet_id", packetId);
        add(parts, "suite_id", suiteId);
        add(parts, "scenario_id", scenarioId);
        add(parts, "mode", mode);
        if (!DEFAULT_OUTCOME.equals(outcome)) {
            parts.add("outcome=" + outcome);
        }
        add(parts, "fixture_id", fixtureId);
        add(parts, "env_fingerprint", envFingerprint);
        return String.join(" ", parts);
    }

    private static void add(List<String> parts, String key, String value) {
        if (!value.isEmpty()) {
            parts.add(key + "=" + value);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
